package io.spindle.node.queue;

/**
 * The Lua scripts behind {@link RedisJobQueue}. Each works on all band streams of one config (KEYS,
 * highest band first; they share a hash slot) in one round trip, so a take can honour its maximum
 * across bands exactly, which a multi-stream XREADGROUP (COUNT per stream) cannot.
 * Take and claim return a flat list, five strings per entry: stream key, entry id, job id, priority,
 * attempt. Entries without a well-formed ticket are acked and deleted instead of returned.
 */
final class StreamScripts {
    private StreamScripts() {}

    /**
     * ARGV: ready channel, signal message, then four per ticket: band (1-based index into KEYS), job id,
     * priority, attempt. XADDs every ticket to its band and publishes one ready signal; one command for a
     * whole batch keeps the client's per-command cost out of the hot path.
     */
    static final String ENQUEUE = """
            for i = 3, #ARGV, 4 do
              redis.call('XADD', KEYS[tonumber(ARGV[i])], '*', 'job', ARGV[i + 1], 'pri', ARGV[i + 2], 'att', ARGV[i + 3])
            end
            redis.call('PUBLISH', ARGV[1], ARGV[2])
            return (#ARGV - 2) / 4
            """;

    /** Reads a stream entry's ticket fields into {@code out}; false when they are missing or malformed. */
    private static final String APPEND_TICKET = """
            local function appendTicket(out, key, e)
              if type(e) ~= 'table' or type(e[2]) ~= 'table' then return false end
              local f, job, pri, att = e[2], nil, nil, nil
              for i = 1, #f, 2 do
                if f[i] == 'job' then job = f[i + 1]
                elseif f[i] == 'pri' then pri = f[i + 1]
                elseif f[i] == 'att' then att = f[i + 1] end
              end
              if not job or not pri or not att
                 or not string.match(pri, '^-?%d+$') or not string.match(att, '^-?%d+$') then
                return false
              end
              out[#out + 1] = key; out[#out + 1] = e[1]; out[#out + 1] = job
              out[#out + 1] = pri; out[#out + 1] = att
              return true
            end
            local function discard(key, group, e)
              if type(e) == 'table' and e[1] then
                redis.call('XACK', key, group, e[1])
                redis.call('XDEL', key, e[1])
              end
            end
            """;

    /**
     * {@code takeNew(group, consumer, max)}: reads undelivered entries band by band until max are taken; the
     * flat entry list, or an error reply. A missing group (first use, or Redis was flushed) is created at id 0
     * with MKSTREAM, so tickets enqueued before it existed are delivered too; a concurrent creation (BUSYGROUP)
     * is fine.
     */
    private static final String TAKE_NEW = APPEND_TICKET + """
            local function takeNew(group, consumer, left)
              local out = {}
              for _, key in ipairs(KEYS) do
                if left <= 0 then break end
                local r = redis.pcall('XREADGROUP', 'GROUP', group, consumer, 'COUNT', left, 'STREAMS', key, '>')
                if type(r) == 'table' and r.err then
                  if not string.find(r.err, 'NOGROUP', 1, true) then return redis.error_reply(r.err) end
                  local c = redis.pcall('XGROUP', 'CREATE', key, group, '0', 'MKSTREAM')
                  if type(c) == 'table' and c.err and not string.find(c.err, 'BUSYGROUP', 1, true) then
                    return redis.error_reply(c.err)
                  end
                  r = redis.call('XREADGROUP', 'GROUP', group, consumer, 'COUNT', left, 'STREAMS', key, '>')
                end
                if r then
                  for _, e in ipairs(r[1][2]) do
                    if appendTicket(out, key, e) then left = left - 1 else discard(key, group, e) end
                  end
                end
              end
              return out
            end
            """;

    /** ARGV: group, consumer, max. {@code takeNew} on its own. */
    static final String TAKE = TAKE_NEW + """
            return takeNew(ARGV[1], ARGV[2], tonumber(ARGV[3]))
            """;

    /**
     * ARGV: group, consumer, max, {@code 1} to delete acknowledged entries (else {@code 0}), then two per entry to
     * acknowledge: band (1-based index into KEYS), entry id. XACKs (and XDELs) the entries a dispatcher has decided,
     * then {@code takeNew} as {@link #TAKE}: a dispatcher's acknowledgements ride on its next take. An ack on a stream
     * without the group (Redis was flushed) is skipped, as XACK skips an unknown id.
     */
    static final String ACK_TAKE = TAKE_NEW + """
            local group, deletes = ARGV[1], ARGV[4] == '1'
            for i = 5, #ARGV, 2 do
              local key, id = KEYS[tonumber(ARGV[i])], ARGV[i + 1]
              redis.pcall('XACK', key, group, id)
              if deletes then redis.call('XDEL', key, id) end
            end
            return takeNew(group, ARGV[2], tonumber(ARGV[3]))
            """;

    /**
     * ARGV: ready channel, signal message, group, consumer, max, then four per ticket as in {@link #ENQUEUE}. The
     * enqueue of a node whose own take of the config is waiting (see {@link WaitingTakes}): XADDs the tickets, then
     * {@code takeNew} for that consumer, so the take is answered in the enqueue's round trip. The ready signal is
     * published only when fewer entries were taken than added (other consumers may take the rest). Returns what
     * the take read, as {@link #TAKE} does.
     */
    static final String ENQUEUE_TAKE = TAKE_NEW + """
            local added = 0
            for i = 6, #ARGV, 4 do
              redis.call('XADD', KEYS[tonumber(ARGV[i])], '*', 'job', ARGV[i + 1], 'pri', ARGV[i + 2], 'att', ARGV[i + 3])
              added = added + 1
            end
            local out = takeNew(ARGV[3], ARGV[4], tonumber(ARGV[5]))
            if type(out) ~= 'table' or out.err or #out / 5 < added then
              redis.call('PUBLISH', ARGV[1], ARGV[2])
            end
            return out
            """;

    /**
     * ARGV: group, consumer, min idle ms, max, max XAUTOCLAIM scans per band. Takes over entries pending
     * longer than min idle with any consumer, band by band. No group means nothing is pending.
     */
    static final String CLAIM = APPEND_TICKET + """
            local group, consumer, minIdle = ARGV[1], ARGV[2], ARGV[3]
            local left, maxScans = tonumber(ARGV[4]), tonumber(ARGV[5])
            local out = {}
            for _, key in ipairs(KEYS) do
              local cursor, scans = '0-0', 0
              while left > 0 and scans < maxScans do
                local r = redis.pcall('XAUTOCLAIM', key, group, consumer, minIdle, cursor, 'COUNT', left)
                if type(r) == 'table' and r.err then
                  if string.find(r.err, 'NOGROUP', 1, true) then break end
                  return redis.error_reply(r.err)
                end
                scans = scans + 1
                for _, e in ipairs(r[2]) do
                  if appendTicket(out, key, e) then left = left - 1 else discard(key, group, e) end
                end
                cursor = r[1]
                if cursor == '0-0' then break end
              end
            end
            return out
            """;

    /**
     * ARGV: group. Undelivered entries = XLEN minus the group's pending count, summed over bands. Exact
     * while acked entries are deleted (ack-deletes); otherwise acked entries still in the stream count too.
     */
    static final String DEPTH = """
            local n = 0
            for _, key in ipairs(KEYS) do
              local len = redis.call('XLEN', key)
              if len > 0 then
                local p = redis.pcall('XPENDING', key, ARGV[1])
                if type(p) == 'table' and not p.err then len = len - p[1] end
                if len > 0 then n = n + len end
              end
            end
            return n
            """;

    /**
     * ARGV: group, consumer expiry ms. Per band: XTRIM MINID at the oldest entry that must stay, i.e. the
     * older of the oldest pending entry and the first entry after the group's last-delivered-id; entries
     * below it were delivered and acked. Streams without our group are left alone (nothing was delivered).
     * Also removes consumers that hold nothing and have been idle longer than the expiry. Returns the
     * number of entries trimmed.
     */
    static final String TRIM = """
            local function older(a, b)
              local am, as = string.match(a, '^(%d+)-(%d+)$')
              local bm, bs = string.match(b, '^(%d+)-(%d+)$')
              if tonumber(am) ~= tonumber(bm) then return tonumber(am) < tonumber(bm) end
              return tonumber(as) < tonumber(bs)
            end
            local function fields(flat)
              local t = {}
              for i = 1, #flat, 2 do t[flat[i]] = flat[i + 1] end
              return t
            end
            local group, expiry = ARGV[1], tonumber(ARGV[2])
            local trimmed = 0
            for _, key in ipairs(KEYS) do
              local groups = redis.pcall('XINFO', 'GROUPS', key)
              if type(groups) == 'table' and not groups.err then
                for _, g in ipairs(groups) do
                  local info = fields(g)
                  if info['name'] == group then
                    local ms, seq = string.match(info['last-delivered-id'], '^(%d+)-(%d+)$')
                    local keep = ms .. '-' .. string.format('%.0f', tonumber(seq) + 1)
                    if info['pending'] > 0 then
                      local oldest = redis.call('XPENDING', key, group)[2]
                      if oldest and older(oldest, keep) then keep = oldest end
                    end
                    trimmed = trimmed + redis.call('XTRIM', key, 'MINID', keep)
                    for _, c in ipairs(redis.call('XINFO', 'CONSUMERS', key, group)) do
                      local ci = fields(c)
                      if ci['pending'] == 0 and ci['idle'] >= expiry then
                        redis.call('XGROUP', 'DELCONSUMER', key, group, ci['name'])
                      end
                    end
                  end
                end
              end
            end
            return trimmed
            """;
}
