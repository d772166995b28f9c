package nl.beeldzorg.consult;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import nl.beeldzorg.notify.WebPush;
import nl.beeldzorg.security.CurrentUser;
import nl.beeldzorg.system.DatabaseScheduler;
import nl.beeldzorg.system.Rounds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Reminds a consultant of an outcome they skipped ("Later invullen"): some time after the
 * end of a consult that still has none, once, in the app's event stream and by Web Push.
 * Every node sweeps; the conditional claim of each reminder makes one node send it.
 */
@Component
class OutcomeReminder {

	/** The event (and push type) that reminds a consultant of a missing outcome. */
	static final String OUTCOME_PENDING = "consult.outcome-pending";

	private static final Logger logger = LoggerFactory.getLogger(OutcomeReminder.class);

	private static final CurrentUser SYSTEM = new CurrentUser(Escalation.ACTOR, "Beeldzorg", null, null, null,
			Set.of());

	private final FollowUpRepository followUps;

	private final ConsultViews views;

	private final ConsultEvents events;

	private final WebPush push;

	private final JsonMapper json;

	private final DatabaseScheduler scheduler;

	private final Clock clock;

	private final OutcomeReminderProperties properties;

	private Disposable sweeping = () -> {
	};

	OutcomeReminder(FollowUpRepository followUps, ConsultViews views, ConsultEvents events, WebPush push,
			JsonMapper json, DatabaseScheduler scheduler, Clock clock, OutcomeReminderProperties properties) {
		this.followUps = followUps;
		this.views = views;
		this.events = events;
		this.push = push;
		this.json = json;
		this.scheduler = scheduler;
		this.clock = clock;
		this.properties = properties;
	}

	@EventListener(ApplicationReadyEvent.class)
	void start() {
		this.sweeping = Rounds.every(this.properties.interval(), this::remindDue, logger, "Outcome reminder round");
	}

	@jakarta.annotation.PreDestroy
	void stop() {
		this.sweeping.dispose();
	}

	/**
	 * One round: every consult due for a reminder that this node claims first.
	 * @return how many reminders this node sent
	 */
	Mono<Integer> remindDue() {
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.MICROS);
		return this.scheduler
			.run(this.followUps.dueForReminder(now.minus(this.properties.after()), now.minus(this.properties.maxAge()))
				.filterWhen((consult) -> this.followUps.markReminded(consult.id(), now)))
			.concatMap(this::remind)
			.count()
			.map(Long::intValue);
	}

	private Mono<Consult> remind(Consult consult) {
		String consultant = Objects.requireNonNull(consult.consultantId());
		return this.views.view(consult, SYSTEM).map((view) -> {
			this.events.publish(OUTCOME_PENDING, view, List.of(consultant));
			Map<String, Object> payload = new LinkedHashMap<>();
			payload.put("type", OUTCOME_PENDING);
			payload.put("consultId", consult.id().toString());
			payload.put("kind", consult.kind().name());
			payload.put("url", "/app/?outcome=" + consult.id());
			this.push.send(List.of(consultant), this.json.writeValueAsString(payload))
				.subscribe((sent) -> logger.debug("Outcome reminder pushed to {} subscription(s)", sent),
						(ex) -> logger.warn("Outcome reminder push failed: {}", ex.toString()));
			return consult;
		});
	}

}
