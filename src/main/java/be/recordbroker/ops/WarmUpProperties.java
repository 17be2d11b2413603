package be.recordbroker.ops;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code record-broker.warm-up.*}: what an instance does before it says it is ready ({@link WarmUp}). */
@ConfigurationProperties("record-broker.warm-up")
public class WarmUpProperties {

    private boolean enabled = true;
    /** Ready anyway after this long. */
    private Duration maxDuration = Duration.ofSeconds(60);
    /** Warm-up searches at most. */
    private int iterations = 3000;
    /** SSIN of a test patient the hubs know; empty: no warm-up searches (only the hub clients are made). */
    private String patient = "";
    /** NIHII of the professional the warm-up searches are made as (passed to the hubs as the author). */
    private String professional = "";
    /** The AOT-cache training run (docker/Dockerfile): exit once ready. Never set in a running broker. */
    private boolean exitWhenReady;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Duration getMaxDuration() {
        return maxDuration;
    }

    public void setMaxDuration(Duration maxDuration) {
        this.maxDuration = maxDuration;
    }

    public int getIterations() {
        return iterations;
    }

    public void setIterations(int iterations) {
        this.iterations = iterations;
    }

    public String getPatient() {
        return patient;
    }

    public void setPatient(String patient) {
        this.patient = patient;
    }

    public boolean isExitWhenReady() {
        return exitWhenReady;
    }

    public void setExitWhenReady(boolean exitWhenReady) {
        this.exitWhenReady = exitWhenReady;
    }

    public String getProfessional() {
        return professional;
    }

    public void setProfessional(String professional) {
        this.professional = professional;
    }
}
