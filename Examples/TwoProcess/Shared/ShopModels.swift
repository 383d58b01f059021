/// A product of the catalog, as the product service answers `products/{sku}`.
public struct Product: Codable, Sendable {
    /// The stock-keeping unit.
    public var sku: String
    /// The name.
    public var name: String
    /// The price of one, in cents.
    public var unitPrice: Int

    /// Creates a product.
    public init(sku: String, name: String, unitPrice: Int) {
        self.sku = sku
        self.name = name
        self.unitPrice = unitPrice
    }
}

/// An order, as the order service saves it and publishes it on `order-created`.
public struct Order: Codable, Sendable {
    /// The order ID.
    public var id: String
    /// What was ordered.
    public var sku: String
    /// How many.
    public var quantity: Int
    /// The total, in cents.
    public var total: Int

    /// Creates an order.
    public init(id: String, sku: String, quantity: Int, total: Int) {
        self.id = id
        self.sku = sku
        self.quantity = quantity
        self.total = total
    }
}

/// What the product service publishes on `stock-reserved` once it has taken an order's items
/// out of stock.
public struct StockReserved: Codable, Sendable {
    /// The order.
    public var orderID: String
    /// The product.
    public var sku: String
    /// How many are left.
    public var remaining: Int

    /// Creates the event.
    public init(orderID: String, sku: String, remaining: Int) {
        self.orderID = orderID
        self.sku = sku
        self.remaining = remaining
    }
}
