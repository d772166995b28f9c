package nl.beeldzorg.recording;

import nl.beeldzorg.system.Rounds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Deletes recordings past {@code beeldzorg.recordings.retention}, every
 * {@code sweep-interval} on each node (the conditional update makes one node record each
 * deletion).
 */
@Component
class RecordingRetention {

	private static final Logger logger = LoggerFactory.getLogger(RecordingRetention.class);

	private final Recordings recordings;

	private final RecordingProperties properties;

	private Disposable sweeping = () -> {
	};

	RecordingRetention(Recordings recordings, RecordingProperties properties) {
		this.recordings = recordings;
		this.properties = properties;
	}

	@EventListener(ApplicationReadyEvent.class)
	void start() {
		this.sweeping = Rounds.every(this.properties.sweepInterval(), this::sweep, logger, "Recording retention round");
	}

	@jakarta.annotation.PreDestroy
	void stop() {
		this.sweeping.dispose();
	}

	/**
	 * One round.
	 * @return how many recordings were deleted
	 */
	Mono<Integer> sweep() {
		return this.recordings.deleteExpired().doOnNext((deleted) -> {
			if (deleted > 0) {
				logger.info("Deleted {} recording(s) past their retention of {}", deleted, this.properties.retention());
			}
		});
	}

}
