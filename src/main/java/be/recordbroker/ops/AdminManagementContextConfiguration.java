package be.recordbroker.ops;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The admin endpoints live on the management server (its own port, 8081 by default), beside the actuator, behind
 * the {@code ops} role ({@code config.SecurityConfiguration}); the REST face on 8080 does not serve them. Loaded
 * into the management child context (listed in
 * {@code META-INF/spring/...ManagementContextConfiguration.imports}); the main context's component scan skips it
 * unless management shares the main port.
 */
@ManagementContextConfiguration(value = ManagementContextType.ANY, proxyBeanMethods = false)
@Conditional(AdminManagementContextConfiguration.OnManagementContext.class)
@Import(AdminEndpoints.class)
public class AdminManagementContextConfiguration {

    /** One verification at a time, each on a plain JDBC connection of its own (never the pool's). */
    @Bean
    AuditVerifier auditVerifier(DataSourceProperties dataSource, be.recordbroker.audit.JdbcAuditTrail trail) {
        return new AuditVerifier(() -> new DriverManagerDataSource(dataSource.determineUrl(),
                dataSource.determineUsername(), dataSource.determinePassword()), trail.keys());
    }

    /** True in the management child context, or in the main one when management shares its port. */
    static final class OnManagementContext implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            if (context.getBeanFactory() != null && context.getBeanFactory().getParentBeanFactory() != null) {
                return true;
            }
            return ManagementPortType.get(context.getEnvironment()) != ManagementPortType.DIFFERENT;
        }
    }
}
