package nl.beeldzorg.operations;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How often each node reads the operational figures it exports to Prometheus.
 *
 * @param probeInterval how often the consult, media and database gauges are refreshed
 * @param auditVerificationInterval how often the whole audit chain is recomputed (it
 * reads every record: hours in a large installation, minutes in a small one)
 * @param escalationGrace how long past its ring deadline a ringing consult may stay
 * before it counts as an overdue escalation
 */
@ConfigurationProperties("beeldzorg.operations")
@Validated
public record OperationsProperties(@NotNull Duration probeInterval, @NotNull Duration auditVerificationInterval,
		@NotNull Duration escalationGrace) {
}
