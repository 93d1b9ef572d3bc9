package io.opskit.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One connection as Redis reports it in {@code CLIENT LIST}.
 *
 * @param id            the client id, for {@code CLIENT KILL ID}
 * @param address       the client's address as the server sees it, {@code ip:port}
 * @param name          the name set with {@code CLIENT SETNAME}; empty if none
 * @param libraryName   the library name ({@code lib-name}, Redis 7.2+); empty if none
 * @param age           how long the connection has been open
 * @param idle          how long since its last command
 * @param flags         the client flags ({@code N} normal, {@code S} replica, {@code M} master, {@code P} pub/sub,
 *                      {@code b} blocked, {@code x} in MULTI…)
 * @param subscriptions channels and patterns it is subscribed to
 * @param lastCommand   its last command, e.g. {@code get}
 * @param user          the ACL user
 */
public record RedisClientInfo(long id, String address, String name, String libraryName, Duration age, Duration idle,
                              String flags, long subscriptions, String lastCommand, String user) {

    /** Validates; absent texts are empty, never null. */
    public RedisClientInfo {
        address = Objects.requireNonNullElse(address, "");
        name = Objects.requireNonNullElse(name, "");
        libraryName = Objects.requireNonNullElse(libraryName, "");
        Objects.requireNonNull(age, "age");
        Objects.requireNonNull(idle, "idle");
        flags = Objects.requireNonNullElse(flags, "");
        lastCommand = Objects.requireNonNullElse(lastCommand, "");
        user = Objects.requireNonNullElse(user, "");
    }

    /** Parses the reply of {@code CLIENT LIST}; lines it cannot read are skipped. */
    public static List<RedisClientInfo> parseList(String clientList) {
        List<RedisClientInfo> clients = new ArrayList<>();
        for (String line : clientList.split("\r?\n")) {
            if (line.isBlank()) {
                continue;
            }
            Map<String, String> f = new HashMap<>();
            for (String pair : line.strip().split(" ")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    f.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
            try {
                clients.add(new RedisClientInfo(Long.parseLong(f.get("id")), f.get("addr"), f.get("name"), f.get("lib-name"),
                        Duration.ofSeconds(number(f, "age")), Duration.ofSeconds(number(f, "idle")), f.get("flags"),
                        number(f, "sub") + number(f, "psub") + number(f, "ssub"), f.get("cmd"), f.get("user")));
            } catch (NumberFormatException | NullPointerException e) {
                // not a client line (a newer server's format we do not know): skip it, never kill what we cannot read
            }
        }
        return List.copyOf(clients);
    }

    /** Whether this is a replica's connection to this server (flag {@code S}). */
    public boolean isReplica() {
        return flags.indexOf('S') >= 0;
    }

    /** Whether this is this server's connection to its master (flag {@code M}). */
    public boolean isMaster() {
        return flags.indexOf('M') >= 0;
    }

    /** Whether this is a pub/sub subscriber. */
    public boolean isPubSub() {
        return flags.indexOf('P') >= 0 || subscriptions > 0;
    }

    /** Whether the client waits in a blocking command ({@code BLPOP}, {@code XREAD BLOCK}…): idle, but working. */
    public boolean isBlocked() {
        return flags.indexOf('b') >= 0;
    }

    /** A one-line description for logs: id, address, name, library, idle time. */
    public String describe() {
        return "id=" + id + " addr=" + address + (name.isEmpty() ? "" : " name=" + name)
                + (libraryName.isEmpty() ? "" : " lib=" + libraryName) + " idle=" + idle.toSeconds() + "s"
                + (lastCommand.isEmpty() ? "" : " cmd=" + lastCommand);
    }

    private static long number(Map<String, String> fields, String key) {
        String v = fields.get(key);
        return v == null || v.isEmpty() ? 0 : Long.parseLong(v);
    }
}
