package nl.beeldzorg.recording;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * One recording of a consult, with the consent it rests on.
 *
 * @param id the recording
 * @param consultId its consult
 * @param institutionId the consult's institution (whose ADMIN may fetch it)
 * @param state where it is
 * @param givenBy who consented
 * @param note the consent note, if any
 * @param consentAt when the consent was recorded
 * @param recordedBy the party who recorded the consent and asked to record
 * @param idempotencyKey the start request's Idempotency-Key
 * @param requestHash the start request's hash, to refuse a reused key
 * @param filePath the file the media server writes
 * @param startedAt when the recorder ran
 * @param stoppedAt when it stopped
 * @param stoppedBy who stopped it (a party, or the system at the consult's end)
 * @param sizeBytes the file's size once stopped
 * @param expiresAt when the file is deleted
 * @param deletedAt when it was deleted
 */
record Recording(UUID id, UUID consultId, @Nullable String institutionId, State state, GivenBy givenBy,
		@Nullable String note, Instant consentAt, String recordedBy, @Nullable String idempotencyKey,
		@Nullable String requestHash, String filePath, @Nullable Instant startedAt, @Nullable Instant stoppedAt,
		@Nullable String stoppedBy, @Nullable Long sizeBytes, @Nullable Instant expiresAt,
		@Nullable Instant deletedAt) {

	/** Where a recording is. */
	enum State {

		/** Consent stored; the media server is being asked to record. */
		STARTING,

		/** The media server records. */
		RECORDING,

		/** Being stopped. */
		STOPPING,

		/** Stopped; the file is complete and kept until {@code expiresAt}. */
		STOPPED,

		/** The media server could not record; there is no file. */
		FAILED,

		/** The file was deleted after the retention. */
		DELETED;

		boolean running() {
			return this == STARTING || this == RECORDING;
		}

	}

	/** Who gave consent to record. */
	enum GivenBy {

		/** The client. */
		CLIENT,

		/** The client's representative (wettelijk vertegenwoordiger). */
		REPRESENTATIVE

	}

}
