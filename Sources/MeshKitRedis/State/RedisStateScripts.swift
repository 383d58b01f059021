/// The Lua script behind every state write, delete and transaction.
///
/// Each operation is six `ARGV` entries over its key in `KEYS`: the kind (`set` or `del`), the
/// check (`none`, `etag` or `absent`, decided in Swift by ``RedisWriteCheck``), the expected
/// version, the data, the TTL in seconds (empty: keep the key's TTL; `-1`: remove it) and the
/// first-write flag.
///
/// Every check runs before anything is written, over the keys as earlier operations of the same
/// call leave them, so a call is all or nothing. Items keep Dapr's layout: a hash with `data`,
/// `version` (incremented as Dapr's `HINCRBY` does) and, for first-write saves, `first-write`.
/// As in Dapr's `setDefaultQuery` (components-contrib `state/redis/redis.go`), a hash that
/// carries `first-write` is saved over only with its version (check `etag`), and the field stays;
/// a save with no TTL sends neither `EXPIRE` nor `PERSIST`, so the key keeps its TTL. A plain
/// string (a value from before Dapr used hashes) is an item without a version; a key of any
/// other type is refused. The TTL is applied in the same script, unlike Dapr's separate
/// `EXPIRE`/`PERSIST` round trip.
///
/// Returns `{"ok"}`, or `{reason, index, detail}` for the first operation that fails its check.
enum RedisStateScripts {
    static let write = RedisScript(
        """
        local count = #KEYS
        local staged = {}
        for i = 1, count do
          local key = KEYS[i]
          local base = (i - 1) * 6
          local state = staged[key]
          if state == nil then
            local kind = redis.call('TYPE', key)['ok']
            if kind == 'none' then
              state = {exists = false, version = false, guarded = false}
            elseif kind == 'string' then
              state = {exists = true, version = false, guarded = false}
            elseif kind == 'hash' then
              local raw = redis.call('HGET', key, 'version')
              local guarded = redis.call('HEXISTS', key, 'first-write') == 1
              if raw == false then
                state = {exists = true, version = false, guarded = guarded}
              else
                local number = tonumber(raw)
                if number == nil then return {'badversion', tostring(i), raw} end
                state = {exists = true, version = number, guarded = guarded}
              end
            else
              return {'wrongtype', tostring(i), kind}
            end
          end
          local check = ARGV[base + 2]
          if check == 'etag' then
            if not state.exists then return {'missing', tostring(i), ''} end
            if state.version == false or state.version ~= tonumber(ARGV[base + 3]) then
              return {'mismatch', tostring(i), tostring(state.version)}
            end
          elseif check == 'absent' and state.exists then
            return {'exists', tostring(i), ''}
          elseif check == 'none' and state.guarded and ARGV[base + 1] == 'set' then
            return {'guarded', tostring(i), ''}
          end
          if ARGV[base + 1] == 'set' then
            staged[key] = {exists = true, version = (state.version or 0) + 1, guarded = state.guarded or ARGV[base + 6] == '1'}
          else
            staged[key] = {exists = false, version = false, guarded = false}
          end
        end
        for i = 1, count do
          local key = KEYS[i]
          local base = (i - 1) * 6
          if ARGV[base + 1] == 'set' then
            if redis.call('TYPE', key)['ok'] ~= 'hash' then redis.call('DEL', key) end
            redis.call('HSET', key, 'data', ARGV[base + 4])
            if ARGV[base + 6] == '1' then redis.call('HSET', key, 'first-write', 0) end
            redis.call('HINCRBY', key, 'version', 1)
            local ttl = ARGV[base + 5]
            if ttl == '-1' then
              redis.call('PERSIST', key)
            elseif ttl ~= '' then
              redis.call('EXPIRE', key, ttl)
            end
          else
            redis.call('DEL', key)
          end
        end
        return {'ok'}
        """
    )
}
