package be.recordbroker.network;

/**
 * This JVM's name among the broker's instances (one bean, {@code config.ClusterConfiguration}): tells its own
 * announcements from the others' on a shared topic.
 *
 * @param value random per start: an instance that restarts has empty caches and a new name
 */
public record InstanceId(String value) {
}
