package nl.beeldzorg.media;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import nl.beeldzorg.signalling.protocol.SignalMessage;
import nl.beeldzorg.system.DatabaseOutages;
import nl.beeldzorg.system.DatabaseScheduler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * Records what each party's media does (API.md "Media state", v1.1). Reports arrive on
 * the signalling engine's threads and are queued per consult and party, never dropped:
 * one lane writes them in order, one transaction each, while other parties' lanes write
 * in parallel; the caller never waits. A burst only makes a lane longer.
 */
@Service
public class MediaStates {

	/**
	 * Stats samples kept per party: the first hour at one per 10 s. Later stats still
	 * update the party's last figures.
	 */
	static final int SAMPLES_KEPT = 360;

	/** About a quarter of an hour of database outage, at most 5 s apart. */
	private static final int WRITE_ATTEMPTS = 200;

	private static final Logger logger = LoggerFactory.getLogger(MediaStates.class);

	private final MediaRepository repository;

	private final MediaCells cells;

	private final TransactionalOperator tx;

	private final DatabaseScheduler scheduler;

	private final Clock clock;

	private final Map<LaneKey, ArrayDeque<Report>> lanes = new ConcurrentHashMap<>();

	MediaStates(MediaRepository repository, MediaCells cells, TransactionalOperator tx, DatabaseScheduler scheduler,
			Clock clock) {
		this.repository = repository;
		this.cells = cells;
		this.tx = tx;
		this.scheduler = scheduler;
		this.clock = clock;
	}

	/**
	 * Queues one report for writing; returns at once.
	 * @param consultId the consult (the room)
	 * @param userId the party that reported
	 * @param report its media state, with or without stats
	 */
	public void report(UUID consultId, String userId, SignalMessage.MediaState report) {
		LaneKey key = new LaneKey(consultId, userId);
		Report item = new Report(report, this.clock.instant().truncatedTo(ChronoUnit.MICROS));
		boolean[] start = { false };
		// The lane exists exactly while it is being written: whoever creates it drains
		// it.
		this.lanes.compute(key, (k, lane) -> {
			if (lane == null) {
				lane = new ArrayDeque<>();
				start[0] = true;
			}
			lane.add(item);
			return lane;
		});
		if (start[0]) {
			drain(key);
		}
	}

	private void drain(LaneKey key) {
		// repeat() resubscribes in a loop, not on the stack, however long the lane.
		Mono.defer(() -> {
			Report next = head(key);
			return (next == null) ? Mono.just(false) : this.scheduler.run(this.tx.transactional(write(key, next)))
				// Database away: the report stays at the head of its lane (later
				// ones queue behind it, in order) until it is back, so a call that
				// connected meanwhile still counts as connected.
				.retryWhen(Retry.backoff(WRITE_ATTEMPTS, Duration.ofSeconds(1))
					.maxBackoff(Duration.ofSeconds(5))
					.filter(DatabaseOutages::isOutage))
				.onErrorResume((ex) -> {
					logger.error("Could not record a media state of consult {}", key.consultId(), ex);
					return Mono.empty();
				})
				.then(Mono.fromRunnable(() -> remove(key)))
				.thenReturn(true);
		}).repeat().takeWhile((more) -> more).subscribe();
	}

	/** The lane's first report, left in place until written; removes an empty lane. */
	private @Nullable Report head(LaneKey key) {
		Report[] head = { null };
		this.lanes.computeIfPresent(key, (k, lane) -> {
			head[0] = lane.peek();
			return (head[0] != null) ? lane : null;
		});
		return head[0];
	}

	private void remove(LaneKey key) {
		this.lanes.computeIfPresent(key, (k, lane) -> {
			lane.poll();
			return lane;
		});
	}

	private Mono<Void> write(LaneKey key, Report report) {
		Mono<Party> existing = this.repository.party(key.consultId(), key.userId())
			.map((party) -> new Party(party, false));
		Mono<Party> fresh = Mono.defer(() -> this.repository.firstJoined(key.consultId(), key.userId())
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.map((joined) -> {
				MediaRepository.Party party = new MediaRepository.Party(key.consultId(), key.userId(), report.at());
				party.firstJoinedAt = joined.orElse(null);
				return new Party(party, true);
			}));
		return existing.switchIfEmpty(fresh).flatMap((p) -> change(p.row(), p.isNew(), report));
	}

	private Mono<Void> change(MediaRepository.Party p, boolean isNew, Report report) {
		UUID consultId = p.consultId;
		Instant at = report.at();
		String state = report.message().state();
		Map<String, Long> cell = new LinkedHashMap<>();
		Mono<Void> consult = Mono.empty();
		if ("connected".equals(state)) {
			if (p.firstConnectedAt == null) {
				p.firstConnectedAt = at;
				Instant since = (p.firstJoinedAt != null) ? p.firstJoinedAt : p.firstReportedAt;
				p.millisToMedia = (int) Math.max(0, Duration.between(since, at).toMillis());
			}
			else if (p.dropped) {
				p.reconnections++;
				cell.merge("reconnections", 1L, Long::sum);
			}
			p.dropped = false;
			consult = this.repository.markConnected(consultId, at).doOnNext((millis) -> {
				cell.merge("connected", 1L, Long::sum);
				cell.merge(MediaBuckets.TIME_TO_MEDIA.column(millis), 1L, Long::sum);
			}).then();
		}
		else if ("disconnected".equals(state) || "failed".equals(state)) {
			if ("failed".equals(state)) {
				p.failures++;
			}
			else {
				p.disconnections++;
			}
			p.dropped = p.firstConnectedAt != null;
		}
		if (isNew || !p.state.equals(state)) {
			p.state = (state != null) ? state : p.state;
			p.stateAt = at;
		}
		Mono<Void> sample = Mono.empty();
		SignalMessage.MediaStats stats = report.message().stats();
		if (stats != null) {
			p.last = stats;
			p.relayUsed |= Boolean.TRUE.equals(stats.relay());
			if (p.samples < SAMPLES_KEPT) {
				p.samples++;
				sample = this.repository.insertSample(consultId, p.userId, p.samples, at, stats);
				cell.merge("samples", 1L, Long::sum);
				if (stats.rttMs() != null) {
					cell.merge(MediaBuckets.RTT.column(stats.rttMs()), 1L, Long::sum);
				}
				if (stats.lossPct() != null) {
					cell.merge(MediaBuckets.LOSS.column(stats.lossPct()), 1L, Long::sum);
				}
			}
			if (Boolean.TRUE.equals(stats.relay())) {
				consult = consult.then(this.repository.markRelay(consultId)
					.filter((first) -> first)
					.doOnNext((first) -> cell.merge("relayed", 1L, Long::sum))
					.then());
			}
		}
		return this.repository.save(p, isNew)
			.then(consult)
			.then(sample)
			.then(Mono.defer(() -> this.cells.add(consultId, cell)));
	}

	/**
	 * What each party's media did in one consult, for its parties and administrators.
	 * @param consultId the consult
	 * @return one summary per party that reported, with medians of its kept samples
	 */
	public Mono<java.util.List<PartyMedia>> ofConsult(UUID consultId) {
		return this.scheduler.run(this.repository.parties(consultId)
			.concatMap((p) -> this.repository.samples(consultId, p.userId)
				.collectList()
				.map((samples) -> PartyMedia.of(p, samples)))
			.collectList());
	}

	private record LaneKey(UUID consultId, String userId) {
	}

	private record Report(SignalMessage.MediaState message, Instant at) {
	}

	private record Party(MediaRepository.Party row, boolean isNew) {
	}

}
