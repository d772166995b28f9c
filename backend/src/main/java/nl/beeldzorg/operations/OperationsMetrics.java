package nl.beeldzorg.operations;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import nl.beeldzorg.audit.AuditTrail;
import nl.beeldzorg.system.DatabaseScheduler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * The installation's operational figures, for Prometheus ({@code /actuator/prometheus})
 * and the dashboard and alert rules under {@code infra/}. Each node reads them from the
 * shared database every {@code beeldzorg.operations.probe-interval}, so every node
 * reports the same installation-wide figures (the dashboard takes the maximum); a gauge
 * is never computed on a scrape, so a slow database never slows the scrape. Figures are
 * counts only: no client reference, question or user is exported.
 */
@Component
public class OperationsMetrics {

	private static final Logger logger = LoggerFactory.getLogger(OperationsMetrics.class);

	private final DatabaseClient db;

	private final DatabaseScheduler scheduler;

	private final AuditTrail audit;

	private final Clock clock;

	private final OperationsProperties properties;

	private final Map<String, Double> values = new ConcurrentHashMap<>();

	private Disposable probing = () -> {
	};

	private Disposable verifying = () -> {
	};

	private final CompletableFuture<Void> firstVerification = new CompletableFuture<>();

	OperationsMetrics(DatabaseClient db, DatabaseScheduler scheduler, AuditTrail audit, Clock clock,
			OperationsProperties properties, MeterRegistry registry) {
		this.db = db;
		this.scheduler = scheduler;
		this.audit = audit;
		this.clock = clock;
		this.properties = properties;
		gauge(registry, "beeldzorg.consults.now", "state", "active", "Consults whose call is on now");
		gauge(registry, "beeldzorg.consults.now", "state", "ringing", "Consults ringing now, not yet answered");
		gauge(registry, "beeldzorg.consults.missed.last.hour", null, null,
				"Consults started in the last hour that nobody answered (MISSED)");
		gauge(registry, "beeldzorg.escalations.overdue", null, null,
				"Ringing or booked consults whose ring deadline passed longer ago than the escalation grace: escalation is not happening");
		gauge(registry, "beeldzorg.media.parties.last.hour", "connected", "true",
				"Parties of consults in the last hour whose media connected");
		gauge(registry, "beeldzorg.media.parties.last.hour", "connected", "false",
				"Parties of consults in the last hour who reported media state but never connected");
		gauge(registry, "beeldzorg.database.reachable", null, null,
				"1 when this node's last probe of the database succeeded, 0 when it failed");
		gauge(registry, "beeldzorg.audit.chain.intact", null, null,
				"1 when the last recomputation of the audit chain found it intact, 0 when broken; absent value (NaN) before the first");
		gauge(registry, "beeldzorg.audit.chain.records", null, null,
				"Audit records read by the last recomputation of the chain");
		gauge(registry, "beeldzorg.audit.chain.verified.timestamp.seconds", null, null,
				"When the audit chain was last recomputed (Unix time)");
	}

	private void gauge(MeterRegistry registry, String name, @Nullable String tag, @Nullable String tagValue,
			String description) {
		String key = key(name, tagValue);
		this.values.put(key, Double.NaN);
		Gauge.Builder<Map<String, Double>> builder = Gauge
			.builder(name, this.values, (map) -> map.getOrDefault(key, Double.NaN))
			.description(description);
		if (tag != null) {
			builder.tag(tag, tagValue);
		}
		builder.register(registry);
	}

	private static String key(String name, @Nullable String tagValue) {
		return (tagValue != null) ? name + "|" + tagValue : name;
	}

	/**
	 * The first recomputation of the audit chain starts as soon as the context runs,
	 * before the warm-up and readiness: it reads every record, and a node that just
	 * joined the pool must not do that while it serves its first requests (the warm-up
	 * waits for it, within its own limit). Then again every
	 * {@code audit-verification-interval}.
	 */
	@EventListener(ApplicationStartedEvent.class)
	void verifyFromStart() {
		this.verifying = Flux
			.interval(Duration.ZERO, this.properties.auditVerificationInterval(), Schedulers.parallel())
			.onBackpressureDrop()
			.concatMap((tick) -> verifyAudit().doFinally((signal) -> this.firstVerification.complete(null)), 1)
			.subscribe();
	}

	@EventListener(ApplicationReadyEvent.class)
	void start() {
		this.probing = Flux.interval(Duration.ZERO, this.properties.probeInterval(), Schedulers.parallel())
			.onBackpressureDrop()
			.concatMap((tick) -> probe(), 1)
			.subscribe();
	}

	/**
	 * Waits until the first recomputation of the audit chain is over (a large chain may
	 * take longer: it then goes on after the wait).
	 * @param atMost the longest wait
	 * @return whether it was over
	 */
	public boolean awaitFirstAuditVerification(Duration atMost) throws InterruptedException {
		try {
			this.firstVerification.get(Math.max(0, atMost.toMillis()), TimeUnit.MILLISECONDS);
			return true;
		}
		catch (TimeoutException ex) {
			return false;
		}
		catch (ExecutionException ex) {
			return true;
		}
	}

	@jakarta.annotation.PreDestroy
	void stop() {
		this.probing.dispose();
		this.verifying.dispose();
	}

	/**
	 * Reads the consult, media and database figures once.
	 * @return done; a failed read sets {@code beeldzorg.database.reachable} to 0
	 */
	Mono<Void> probe() {
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.MICROS);
		OffsetDateTime hourAgo = OffsetDateTime.ofInstant(now.minus(Duration.ofHours(1)), ZoneOffset.UTC);
		OffsetDateTime overdue = OffsetDateTime.ofInstant(now.minus(this.properties.escalationGrace()), ZoneOffset.UTC);
		Mono<Long> active = count("SELECT COUNT(*) AS n FROM consult WHERE state = 'ACTIVE'", Map.of());
		Mono<Long> ringing = count("SELECT COUNT(*) AS n FROM consult WHERE state = 'RINGING'", Map.of());
		Mono<Long> missed = count("SELECT COUNT(*) AS n FROM consult WHERE state = 'MISSED' AND created_at >= :since",
				Map.of("since", hourAgo));
		Mono<Long> late = count(
				"SELECT COUNT(*) AS n FROM consult WHERE state IN ('RINGING', 'SCHEDULED') AND ring_deadline < :before",
				Map.of("before", overdue));
		Mono<Long> connected = count(
				"SELECT COUNT(*) AS n FROM media_party WHERE first_reported_at >= :since AND first_connected_at IS NOT NULL",
				Map.of("since", hourAgo));
		Mono<Long> unconnected = count(
				"SELECT COUNT(*) AS n FROM media_party WHERE first_reported_at >= :since AND first_connected_at IS NULL",
				Map.of("since", hourAgo));
		return this.scheduler.run(Mono.zip(active, ringing, missed, late, connected, unconnected))
			.doOnNext((figures) -> {
				set("beeldzorg.consults.now", "active", figures.getT1());
				set("beeldzorg.consults.now", "ringing", figures.getT2());
				set("beeldzorg.consults.missed.last.hour", null, figures.getT3());
				set("beeldzorg.escalations.overdue", null, figures.getT4());
				set("beeldzorg.media.parties.last.hour", "true", figures.getT5());
				set("beeldzorg.media.parties.last.hour", "false", figures.getT6());
				set("beeldzorg.database.reachable", null, 1);
			})
			.then()
			.onErrorResume((ex) -> {
				logger.warn("Operations probe could not read the database: {}", ex.toString());
				set("beeldzorg.database.reachable", null, 0);
				return Mono.empty();
			});
	}

	/**
	 * Recomputes the audit chain once.
	 * @return done; a failed read leaves the last result in place
	 */
	Mono<Void> verifyAudit() {
		return this.audit.verify().doOnNext((verification) -> {
			if (!verification.intact()) {
				logger.error("Audit chain broken at record {} of {}", verification.firstBrokenSeq(),
						verification.records());
			}
			set("beeldzorg.audit.chain.intact", null, verification.intact() ? 1 : 0);
			set("beeldzorg.audit.chain.records", null, verification.records());
			set("beeldzorg.audit.chain.verified.timestamp.seconds", null, this.clock.instant().getEpochSecond());
		}).then().onErrorResume((ex) -> {
			logger.warn("Audit chain verification could not read the database: {}", ex.toString());
			return Mono.empty();
		});
	}

	private Mono<Long> count(String sql, Map<String, Object> bindings) {
		DatabaseClient.GenericExecuteSpec spec = this.db.sql(sql);
		for (Map.Entry<String, Object> binding : bindings.entrySet()) {
			spec = spec.bind(binding.getKey(), binding.getValue());
		}
		return spec.map((row) -> ((Number) row.get("n")).longValue()).one();
	}

	private void set(String name, @Nullable String tagValue, double value) {
		this.values.put(key(name, tagValue), value);
	}

}
