import CHiredis

/// The calling thread, as the operating system sees it.
enum CurrentThread {
    /// Names the calling thread, as `top -H`, `ps -L` and debuggers show it; Linux keeps the first
    /// 15 bytes. (Foundation's `Thread.name` does not reach the kernel on Linux.)
    static func setName(_ name: String) {
        chiredis_name_current_thread(name)
    }
}
