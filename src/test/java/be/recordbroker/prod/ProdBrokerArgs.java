package be.recordbroker.prod;

import java.util.List;

/**
 * The settings every prod-profile broker of the process tests is given, as an operator gives them (command-line
 * arguments outrank application-prod.yaml): a standalone Artemis, PostgreSQL with a runtime role apart from the
 * schema owner, the sandbox's token issuer in another process, plaintext MLLP on loopback, one ops user.
 */
final class ProdBrokerArgs {

    /** A test cluster's patient group key (base64, 32 bytes): not the development key, which prod refuses. */
    static final String GROUP_KEY = "cHJvZC1wcm9jZXNzLXRlc3RzIGdyb3VwIGtleSwgMzI=";

    private ProdBrokerArgs() {
    }

    static List<String> of(String artemisUrl, String artemisUser, String artemisPassword, String databaseUrl,
                           String runtimeRole, String hubsBase) {
        return List.of(
                "--spring.artemis.broker-url=" + artemisUrl,
                "--spring.artemis.user=" + artemisUser,
                "--spring.artemis.password=" + artemisPassword,
                "--spring.datasource.url=" + databaseUrl,
                "--spring.datasource.username=" + runtimeRole,
                "--spring.datasource.password=runtime-secret", // trust auth: any password is accepted
                "--spring.flyway.user=" + LocalPostgres.USER,
                "--spring.flyway.password=owner-secret",
                "--record-broker.database.runtime-role=" + runtimeRole,
                "--record-broker.identity.jwks-url=" + hubsBase + "/sandbox/jwks.json",
                "--record-broker.identity.issuer=record-broker-sandbox",
                "--record-broker.identity.audience=record-broker",
                "--record-broker.mllp.plaintext=true",
                "--record-broker.mllp.bind-address=127.0.0.1", // prod allows plaintext MLLP on loopback only
                // the patients' JMS groups: one key for every broker of the test (a cluster shares it)
                "--record-broker.ingest.group-key=" + GROUP_KEY,
                // an ops user for the management port (bcrypt of "sandbox-ops-secret")
                "--record-broker.ops.users[0].name=ops",
                "--record-broker.ops.users[0].password=$2a$10$lss9kLizpFsbJP9SyK8uquNopcQ.pjcok9xk5Pp1xoO.ZuqkhqSIG",
                "--record-broker.ops.users[0].roles[0]=ops");
    }
}
