package be.recordbroker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** record-broker: a federated cross-region record broker for Belgian healthcare. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class RecordBrokerApplication {

    public static void main(String[] args) {
        SpringApplication.run(RecordBrokerApplication.class, args);
    }
}
