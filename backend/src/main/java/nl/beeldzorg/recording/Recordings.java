package nl.beeldzorg.recording;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import nl.beeldzorg.audit.AccessLog;
import nl.beeldzorg.audit.AuditAction;
import nl.beeldzorg.audit.AuditTrail;
import nl.beeldzorg.security.CurrentUser;
import nl.beeldzorg.signalling.MediaBroker;
import nl.beeldzorg.signalling.PeerToPeerBroker;
import nl.beeldzorg.signalling.RecordingUnavailableException;
import nl.beeldzorg.signalling.SignallingEngine;
import nl.beeldzorg.signalling.protocol.SignalMessage;
import nl.beeldzorg.system.ApiException;
import nl.beeldzorg.system.DatabaseScheduler;
import nl.beeldzorg.system.ErrorCode;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * Recording a consult. The consent (who gave it, who recorded it, the note) is committed
 * before the media broker is asked to record; a broker that cannot record leaves the
 * recording {@code FAILED}, without a file. Every peer of the room is told when a
 * recording starts and stops; the end of the consult stops it.
 */
@Service
public class Recordings {

	/**
	 * Who stops a recording at the end of a consult, and deletes it after the retention.
	 */
	static final String SYSTEM = "system:recordings";

	/** Who stopped a recording that ended because its media server was lost. */
	static final String MEDIA_SERVER = "system:media-server";

	private static final Logger logger = LoggerFactory.getLogger(Recordings.class);

	private static final MediaBroker PEER_TO_PEER = new PeerToPeerBroker();

	private final RecordingRepository recordings;

	private final ObjectProvider<MediaBroker> brokers;

	private final SignallingEngine signalling;

	private final AuditTrail audit;

	private final AccessLog access;

	private final TransactionalOperator tx;

	private final DatabaseScheduler scheduler;

	private final Clock clock;

	private final RecordingProperties properties;

	Recordings(RecordingRepository recordings, ObjectProvider<MediaBroker> brokers, SignallingEngine signalling,
			AuditTrail audit, AccessLog access, TransactionalOperator tx, DatabaseScheduler scheduler, Clock clock,
			RecordingProperties properties) {
		this.recordings = recordings;
		this.brokers = brokers;
		this.signalling = signalling;
		this.audit = audit;
		this.access = access;
		this.tx = tx;
		this.scheduler = scheduler;
		this.clock = clock;
		this.properties = properties;
	}

	private MediaBroker broker() {
		return this.brokers.getIfAvailable(() -> PEER_TO_PEER);
	}

	/**
	 * Starts recording, or answers a repeat of the same request (same Idempotency-Key) as
	 * the first was answered.
	 * @param user a party of the consult
	 * @param consultId the consult
	 * @param request the consent
	 * @param idempotencyKey the request's Idempotency-Key, if any
	 * @return the recording, and whether this request started it
	 */
	Mono<Started> start(CurrentUser user, UUID consultId, RecordingRequests.@Nullable Start request,
			@Nullable String idempotencyKey) {
		RecordingRequests.Consent consent = (request != null) ? request.consent() : null;
		String hash = hash(consent);
		Mono<Started> create = Mono.defer(() -> create(user, consultId, consent, idempotencyKey, hash));
		if (idempotencyKey == null) {
			return create;
		}
		return this.scheduler.run(this.recordings.findByIdempotencyKey(user.userId(), idempotencyKey))
			.flatMap((existing) -> replay(existing, consultId, hash))
			.switchIfEmpty(create.onErrorResume(DataIntegrityViolationException.class,
					(ex) -> this.scheduler.run(this.recordings.findByIdempotencyKey(user.userId(), idempotencyKey))
						.flatMap((existing) -> replay(existing, consultId, hash))));
	}

	private Mono<Started> replay(Recording existing, UUID consultId, String hash) {
		if (!existing.consultId().equals(consultId) || !hash.equals(existing.requestHash())) {
			return Mono.error(new ApiException(ErrorCode.IDEMPOTENCY_KEY_REUSED,
					"This Idempotency-Key was used for another recording request"));
		}
		return Mono.just(new Started(View.startedOf(existing), false));
	}

	private Mono<Started> create(CurrentUser user, UUID consultId, RecordingRequests.@Nullable Consent consent,
			@Nullable String idempotencyKey, String hash) {
		Instant now = now();
		UUID id = UUID.randomUUID();
		Mono<Recording> consented = this.recordings.lockConsult(consultId)
			.flatMap((consult) -> mayChange(user, consult).thenReturn(consult))
			.switchIfEmpty(Mono.error(Recordings::consultNotFound))
			.flatMap((consult) -> {
				if (consent == null || consent.givenBy() == null) {
					return Mono.error(new ApiException(ErrorCode.RECORDING_CONSENT_REQUIRED,
							"Record who consented first: {\"consent\":{\"givenBy\":\"CLIENT\"|\"REPRESENTATIVE\"}}"));
				}
				if (!"ACTIVE".equals(consult.state())) {
					return Mono.error(new ApiException(ErrorCode.CONSULT_INVALID_STATE,
							"Only an ACTIVE consult is recorded; this one is " + consult.state()));
				}
				return this.recordings.running(consultId).hasElements().flatMap((running) -> {
					if (running) {
						return Mono.error(new ApiException(ErrorCode.RECORDING_ALREADY_RUNNING,
								"This consult is being recorded; stop that recording first"));
					}
					String note = (consent.note() != null && !consent.note().isBlank()) ? consent.note().strip() : null;
					Recording recording = new Recording(id, consultId, consult.institutionId(),
							Recording.State.STARTING, consent.givenBy(), note, now, user.userId(), idempotencyKey, hash,
							file(consult.institutionId(), consultId, id).toString(), null, null, null, null, null,
							null);
					return this.recordings.insert(recording)
						.then(record(user.userId(), recording, AuditAction.RECORDING_CONSENTED,
								"consent given by " + consent.givenBy() + ", recording " + id))
						.thenReturn(recording);
				});
			});
		// The consent is committed here, before the media server is asked to record.
		return inTransaction(consented)
			.flatMap((recording) -> record(recording).map((started) -> new Started(started, true)));
	}

	/** Asks the broker to record; on failure the recording is FAILED and has no file. */
	private Mono<View.Started> record(Recording recording) {
		Path file = Paths.get(recording.filePath());
		String roomId = recording.consultId().toString();
		return Mono.fromCallable(() -> Files.createDirectories(file.getParent()))
			.subscribeOn(Schedulers.boundedElastic())
			.then(Mono.defer(() -> broker().startRecording(roomId, recording.id().toString(),
					file.toAbsolutePath().toUri().toString())))
			.then(Mono.defer(() -> {
				Instant at = now();
				return inTransaction(
						this.recordings.started(recording.id(), at)
							.flatMap((still) -> still ? record(recording.recordedBy(), recording,
									AuditAction.RECORDING_STARTED, "recording " + recording.id())
								.thenReturn(true) : Mono.just(false)))
					.flatMap((still) -> {
						if (still) {
							this.signalling.announce(roomId, new SignalMessage.Recording(
									SignalMessage.Recording.STARTED, recording.id().toString()));
							return Mono.just(new View.Started(recording.id(), at));
						}
						// Stopped while being started (the consult ended): the stop
						// finishes
						// here, now that the recorder runs.
						return finish(recording).thenReturn(new View.Started(recording.id(), at));
					});
			}))
			.onErrorResume((ex) -> !(ex instanceof ApiException), (ex) -> {
				if (ex instanceof RecordingUnavailableException) {
					logger.info("Consult {} cannot be recorded: {}", roomId, ex.getMessage());
				}
				else {
					logger.warn("Recording of consult {} failed to start", roomId, ex);
				}
				return inTransaction(this.recordings.failed(recording.id(), now())
					.then(record(recording.recordedBy(), recording, AuditAction.RECORDING_FAILED,
							"recording " + recording.id() + ": " + reason(ex))))
					.then(delete(file))
					.then(Mono.error(new ApiException(ErrorCode.RECORDING_UNAVAILABLE,
							"No media server can record this consult now; the consent is kept, nothing was recorded")));
			});
	}

	private static String reason(Throwable ex) {
		String message = (ex instanceof RecordingUnavailableException) ? ex.getMessage()
				: ex.getClass().getSimpleName();
		if (message == null) {
			return "unavailable";
		}
		return (message.length() > 200) ? message.substring(0, 200) : message;
	}

	/**
	 * Stops the consult's recording.
	 * @param user a party of the consult
	 * @param consultId the consult
	 * @return the stopped recording, or nothing when none ran
	 */
	Mono<View> stop(CurrentUser user, UUID consultId) {
		Mono<List<Recording>> claimed = this.recordings.lockConsult(consultId)
			.flatMap((consult) -> mayChange(user, consult).thenReturn(consult))
			.switchIfEmpty(Mono.error(Recordings::consultNotFound))
			.flatMapMany((consult) -> "ACTIVE".equals(consult.state()) ? claim(consultId, user.userId())
					: Flux.error(new ApiException(ErrorCode.CONSULT_INVALID_STATE,
							"The consult is " + consult.state() + "; its end stopped any recording")))
			.collectList();
		return inTransaction(claimed).flatMapMany(Flux::fromIterable)
			.concatMap((recording) -> (recording.state() == Recording.State.RECORDING) ? finish(recording)
					: this.scheduler.run(this.recordings.findById(recording.id())))
			.last()
			.map(View::of)
			.onErrorResume(java.util.NoSuchElementException.class, (ex) -> Mono.empty());
	}

	/**
	 * The consult ended: its recording stops (before the room closes, so every peer hears
	 * it stopped). Never fails the end of the consult.
	 * @param consultId the consult
	 * @return completion
	 */
	public Mono<Void> consultEnded(UUID consultId) {
		return stopRunning(consultId, SYSTEM, "the end of the consult");
	}

	/**
	 * The consult's media server was lost or restarted (the broker rebuilt its media, or
	 * sent it peer to peer): a recording that ran there ended with it. It is completed as
	 * stopped by {@code system:media-server}, with the file as far as the media server
	 * wrote it, so the pages hear it stopped, the list says so, and a party may start a
	 * new one on the rebuilt media. Never fails.
	 * @param consultId the consult
	 * @return completion
	 */
	public Mono<Void> mediaLost(UUID consultId) {
		return stopRunning(consultId, MEDIA_SERVER, "the loss of its media server");
	}

	/** Stops and completes the consult's running recordings on the system's behalf. */
	private Mono<Void> stopRunning(UUID consultId, String by, String after) {
		return inTransaction(claim(consultId, by).collectList()).flatMapMany(Flux::fromIterable)
			.filter((recording) -> recording.state() == Recording.State.RECORDING)
			.concatMap(this::finish)
			.then()
			.onErrorResume((ex) -> {
				logger.error("Could not complete the recording of consult {} after {}", consultId, after, ex);
				return Mono.empty();
			});
	}

	/**
	 * A peer joined or rejoined the room: a recording that runs is told again, so a page
	 * that came in later (or reloaded) shows it too. The others hear it twice, which
	 * changes nothing on their screens.
	 * @param consultId the consult
	 * @return completion
	 */
	public Mono<Void> peerJoined(UUID consultId) {
		return this.scheduler.run(this.recordings.running(consultId))
			.filter((recording) -> recording.state() == Recording.State.RECORDING)
			.doOnNext((recording) -> this.signalling.announce(consultId.toString(),
					new SignalMessage.Recording(SignalMessage.Recording.STARTED, recording.id().toString())))
			.then();
	}

	/**
	 * Moves the consult's running recordings to STOPPING; those it moved, as they were.
	 */
	private Flux<Recording> claim(UUID consultId, String by) {
		return this.recordings.running(consultId)
			.collectList()
			.flatMapMany(Flux::fromIterable)
			.concatMap((recording) -> this.recordings.stopping(recording.id(), by)
				.flatMap((moved) -> moved ? Mono.just(recording) : Mono.empty()));
	}

	/** Stops the recorder of a STOPPING recording, and completes it. */
	private Mono<Recording> finish(Recording recording) {
		String roomId = recording.consultId().toString();
		Path file = Paths.get(recording.filePath());
		return broker().stopRecording(roomId, recording.id().toString()).onErrorResume((ex) -> {
			logger.warn("The media server failed to stop recording {} of consult {}; its file may be cut short",
					recording.id(), roomId, ex);
			return Mono.empty();
		})
			.then(Mono.fromCallable(() -> Files.exists(file) ? Files.size(file) : 0L)
				.subscribeOn(Schedulers.boundedElastic()))
			.flatMap((size) -> {
				Instant at = now();
				return inTransaction(this.recordings.findById(recording.id())
					.flatMap((latest) -> this.recordings
						.stopped(recording.id(), at, size, at.plus(this.properties.retention()))
						.flatMap((done) -> done ? record((latest.stoppedBy() != null) ? latest.stoppedBy() : SYSTEM,
								recording, AuditAction.RECORDING_STOPPED,
								"recording " + recording.id() + ", " + size + " bytes") : Mono.empty())
						.then(this.recordings.findById(recording.id()))));
			})
			.doOnNext((stopped) -> this.signalling.announce(roomId,
					new SignalMessage.Recording(SignalMessage.Recording.STOPPED, recording.id().toString())));
	}

	/**
	 * The consult's recordings, for a party or the institution's ADMIN; the read is
	 * audited.
	 */
	Mono<List<View>> list(CurrentUser user, UUID consultId) {
		return this.scheduler.run(this.recordings.consult(consultId))
			.filterWhen((consult) -> mayRead(user, consult))
			.switchIfEmpty(Mono.error(Recordings::consultNotFound))
			.flatMap((consult) -> this.scheduler.run(this.recordings.ofConsult(consultId).map(View::of).collectList())
				.flatMap((views) -> this.access.read(user, consult.institutionId(), consultId, "consult.recordings")
					.thenReturn(views)));
	}

	/**
	 * A stopped recording's file, for a party of its consult or the institution's ADMIN;
	 * the read is audited before the file goes out.
	 */
	Mono<RecordingFile> file(CurrentUser user, UUID recordingId) {
		return this.scheduler.run(this.recordings.findById(recordingId))
			.filter((recording) -> recording.state() == Recording.State.STOPPED)
			.filterWhen((recording) -> this.scheduler.run(this.recordings.consult(recording.consultId()))
				.flatMap((consult) -> mayRead(user, consult))
				.defaultIfEmpty(false))
			.filterWhen((recording) -> Mono.fromCallable(() -> Files.isRegularFile(Paths.get(recording.filePath())))
				.subscribeOn(Schedulers.boundedElastic()))
			.switchIfEmpty(Mono.error(() -> new ApiException(ErrorCode.RECORDING_NOT_FOUND,
					"No recording " + recordingId + " that you can fetch")))
			.flatMap((recording) -> this.access
				.read(user, recording.institutionId(), recording.consultId(), "recording " + recording.id())
				.thenReturn(new RecordingFile(recording.id(), Paths.get(recording.filePath()))));
	}

	/**
	 * Deletes the files of recordings past their retention and marks them deleted,
	 * audited as done by the system.
	 * @return how many were deleted
	 */
	Mono<Integer> deleteExpired() {
		Instant now = now();
		return this.scheduler.run(this.recordings.expired(now, 500))
			.concatMap(
					(recording) -> delete(Paths.get(recording.filePath()))
						.then(inTransaction(
								this.recordings.deleted(recording.id(), now)
									.flatMap((done) -> done
											? record(SYSTEM, recording, AuditAction.RECORDING_DELETED,
													"recording " + recording.id() + " after the retention of "
															+ this.properties.retention())
												.thenReturn(1)
											: Mono.just(0)))))
			.reduce(0, Integer::sum);
	}

	private static Mono<Void> delete(Path file) {
		return Mono.fromRunnable(() -> {
			try {
				Files.deleteIfExists(file);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}).subscribeOn(Schedulers.boundedElastic()).then();
	}

	/**
	 * A party (requester, the consultant, an invitee while it runs) records and stops;
	 * the institution's staff who see the consult are told they are no party; everyone
	 * else finds no consult.
	 */
	private Mono<Void> mayChange(CurrentUser user, RecordingRepository.ConsultFacts consult) {
		if (consult.isParty(user.userId())) {
			return Mono.empty();
		}
		Mono<Boolean> inCall = "ACTIVE".equals(consult.state()) ? this.recordings.isInvited(consult.id(), user.userId())
				: Mono.just(false);
		return inCall.flatMap((invited) -> {
			if (invited) {
				return Mono.empty();
			}
			boolean staff = user.institutionId() != null && user.institutionId().equals(consult.institutionId())
					&& (user.discipline() != null || user.hasRole(CurrentUser.ADMIN));
			return Mono
				.error(staff ? new ApiException(ErrorCode.CONSULT_NOT_A_PARTY, "Only a party of the consult records it")
						: consultNotFound());
		});
	}

	/**
	 * The consult's parties (requester, consultant) and its institution's ADMIN; an
	 * invitee was in the call, not in the care relation, and reads none.
	 */
	private static Mono<Boolean> mayRead(CurrentUser user, RecordingRepository.ConsultFacts consult) {
		return Mono.just(consult.isParty(user.userId()) || (user.hasRole(CurrentUser.ADMIN)
				&& user.institutionId() != null && user.institutionId().equals(consult.institutionId())));
	}

	private static ApiException consultNotFound() {
		return new ApiException(ErrorCode.CONSULT_NOT_FOUND, "No consult that you can see");
	}

	/** {@code <directory>/<institution>/<consult>/<recording>.webm}. */
	Path file(@Nullable String institutionId, UUID consultId, UUID recordingId) {
		return Paths.get(this.properties.directory())
			.toAbsolutePath()
			.normalize()
			.resolve((institutionId != null) ? safe(institutionId) : "_")
			.resolve(consultId.toString())
			.resolve(recordingId + ".webm");
	}

	private static String safe(String name) {
		String cleaned = name.replaceAll("[^A-Za-z0-9._-]", "_");
		return (cleaned.isEmpty() || cleaned.startsWith(".")) ? "_" + cleaned : cleaned;
	}

	private Mono<Void> record(String actor, Recording recording, AuditAction action, String detail) {
		return this.audit
			.append(new AuditTrail.Entry(actor, null, recording.institutionId(), recording.consultId(), action, detail,
					null, null))
			.then();
	}

	private <T> Mono<T> inTransaction(Mono<T> work) {
		return this.scheduler.run(this.tx.transactional(work));
	}

	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MICROS);
	}

	private static String hash(RecordingRequests.@Nullable Consent consent) {
		String canonical = (consent == null) ? "" : consent.givenBy() + "|" + consent.note();
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * @param view the started recording
	 * @param created whether this request started it
	 */
	record Started(View.Started view, boolean created) {
	}

	/**
	 * @param id the recording
	 * @param path its file
	 */
	record RecordingFile(UUID id, Path path) {
	}

}
