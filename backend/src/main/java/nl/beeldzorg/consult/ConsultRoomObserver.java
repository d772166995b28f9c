package nl.beeldzorg.consult;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import nl.beeldzorg.audit.AuditAction;
import nl.beeldzorg.audit.AuditTrail;
import nl.beeldzorg.media.MediaStates;
import nl.beeldzorg.recording.Recordings;
import nl.beeldzorg.signalling.Admission;
import nl.beeldzorg.signalling.RoomObserver;
import nl.beeldzorg.signalling.protocol.SignalMessage;
import nl.beeldzorg.system.DatabaseOutages;
import nl.beeldzorg.system.DatabaseScheduler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * Records who joined and left the video room (the participant row and the audit trail),
 * and hands media states to {@link MediaStates}: since v1.1 {@code connectedAt} is the
 * first moment a party reported its media connected, never a mere join.
 */
@Component
class ConsultRoomObserver implements RoomObserver {

	/** About a quarter of an hour of database outage, at most 5 s apart. */
	private static final int RECORD_ATTEMPTS = 200;

	private static final Logger logger = LoggerFactory.getLogger(ConsultRoomObserver.class);

	private final ConsultRepository consults;

	private final AuditTrail audit;

	private final TransactionalOperator tx;

	private final DatabaseScheduler scheduler;

	private final Clock clock;

	private final MediaStates media;

	/** Lazily: recording announces through the engine, which observes through this. */
	private final ObjectProvider<Recordings> recordings;

	ConsultRoomObserver(ConsultRepository consults, AuditTrail audit, TransactionalOperator tx,
			DatabaseScheduler scheduler, Clock clock, MediaStates media, ObjectProvider<Recordings> recordings) {
		this.recordings = recordings;
		this.media = media;
		this.consults = consults;
		this.audit = audit;
		this.tx = tx;
		this.scheduler = scheduler;
		this.clock = clock;
	}

	@Override
	public void joined(Admission admission, int distinctUsers, boolean rejoin) {
		UUID consultId = UUID.fromString(admission.roomId());
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.MICROS);
		Mono<Void> work = this.consults.recordJoin(consultId, admission.userId(), now)
			.then(record(consultId, admission, AuditAction.JOINED, rejoin ? "rejoin" : null))
			// A page that joins while a recording runs shows it too.
			.then(Mono.defer(() -> this.recordings.getObject().peerJoined(consultId)));
		run(work, "join");
	}

	@Override
	public void mediaState(Admission admission, SignalMessage.MediaState report) {
		this.media.report(UUID.fromString(admission.roomId()), admission.userId(), report);
	}

	@Override
	public void left(Admission admission, LeaveReason reason) {
		UUID consultId = UUID.fromString(admission.roomId());
		run(record(consultId, admission, AuditAction.LEFT, reason.name()), "departure");
	}

	private Mono<Void> record(UUID consultId, Admission admission, AuditAction action, @Nullable String detail) {
		return this.consults.findById(consultId)
			.flatMap((consult) -> this.audit.append(
					new AuditTrail.Entry(admission.userId(), null, consult.institutionId(), consultId, action, detail)))
			.then();
	}

	/**
	 * Records in the background, at most {@value #WRITERS} at once (of 20 connections):
	 * in a join storm the records queue here (in memory, in order of arrival) instead of
	 * taking every database connection, so the next sockets' token checks and a nurse's
	 * consult start still find one.
	 */
	@Override
	public void mediaLost(String roomId, SignalMessage.Media media) {
		// Not through run(): completing a recording asks the media broker (possibly the
		// owning node, over Redis) and reads the file, which must not hold a transaction.
		Mono.defer(() -> this.recordings.getObject().mediaLost(UUID.fromString(roomId))).subscribe();
	}

	private void run(Mono<Void> work, String what) {
		// The call goes on without the database (signalling needs none once joined); what
		// it did is recorded once the database is back, so no audit record is lost. At
		// most
		// a few records are written at once (a join storm queues the rest in memory).
		this.backlog.add(this.scheduler.run(this.tx.transactional(work))
			.retryWhen(Retry.backoff(RECORD_ATTEMPTS, Duration.ofSeconds(1))
				.maxBackoff(Duration.ofSeconds(5))
				.filter(DatabaseOutages::isOutage)
				.doBeforeRetry((retry) -> {
					if (retry.totalRetries() == 0) {
						logger.warn("Database unavailable; the {} in a consult is recorded once it is back: {}", what,
								retry.failure().toString());
					}
				}))
			.onErrorResume((ex) -> {
				logger.error("Could not record a {} in consult", what, ex);
				return Mono.empty();
			}));
		drain();
	}

	private void drain() {
		while (!this.backlog.isEmpty()) {
			int running = this.writing.get();
			if (running >= WRITERS) {
				return;
			}
			if (!this.writing.compareAndSet(running, running + 1)) {
				continue;
			}
			Mono<Void> next = this.backlog.poll();
			if (next == null) {
				this.writing.decrementAndGet();
				continue;
			}
			next.doFinally((signal) -> {
				this.writing.decrementAndGet();
				drain();
			}).subscribe();
		}
	}

	/** Join and departure records written at once, at most. */
	static final int WRITERS = 8;

	private final Queue<Mono<Void>> backlog = new ConcurrentLinkedQueue<>();

	private final AtomicInteger writing = new AtomicInteger();

}
