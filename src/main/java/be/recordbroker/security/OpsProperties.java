package be.recordbroker.security;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code record-broker.ops.*}: who may use the management port (actuator, dead-letter replay, audit verification).
 * Passwords are bcrypt hashes: the configuration never holds an ops password itself.
 */
@ConfigurationProperties("record-broker.ops")
public class OpsProperties {

    private List<User> users = new ArrayList<>();

    public static class User {
        private String name;
        /** bcrypt hash ({@code $2a$...}, {@code $2b$...}, {@code $2y$...}), optionally prefixed {@code {bcrypt}}. */
        private String password;
        private List<String> roles = new ArrayList<>(List.of("ops"));

        public String getName() { return name; }
        public void setName(String name) { this.name = name; }
        public String getPassword() { return password; }
        public void setPassword(String password) { this.password = password; }
        public List<String> getRoles() { return roles; }
        public void setRoles(List<String> roles) { this.roles = roles; }
    }

    public List<User> getUsers() { return users; }
    public void setUsers(List<User> users) { this.users = users; }
}
