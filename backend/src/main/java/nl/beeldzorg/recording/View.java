package nl.beeldzorg.recording;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A recording as its consult's parties and the institution's ADMIN see it.
 *
 * @param id the recording
 * @param consultId its consult
 * @param state {@code STARTING}, {@code RECORDING}, {@code STOPPING}, {@code STOPPED},
 * {@code FAILED} (the media server could not record; no file) or {@code DELETED} (after
 * the retention)
 * @param consent who consented, the note, and when it was recorded
 * @param recordedBy the party who recorded the consent and started the recording
 * @param startedAt when the recorder ran
 * @param stoppedAt when it stopped
 * @param stoppedBy who stopped it ({@code system:recordings} at the end of the consult)
 * @param sizeBytes the file's size, once stopped
 * @param expiresAt when the file is deleted
 * @param deletedAt when it was deleted
 */
record View(UUID id, UUID consultId, String state, Consent consent, String recordedBy, @Nullable Instant startedAt,
		@Nullable Instant stoppedAt, @Nullable String stoppedBy, @Nullable Long sizeBytes, @Nullable Instant expiresAt,
		@Nullable Instant deletedAt) {

	static View of(Recording recording) {
		return new View(recording.id(), recording.consultId(), recording.state().name(),
				new Consent(recording.givenBy().name(), recording.note(), recording.consentAt()),
				recording.recordedBy(), recording.startedAt(), recording.stoppedAt(), recording.stoppedBy(),
				recording.sizeBytes(), recording.expiresAt(), recording.deletedAt());
	}

	static Started startedOf(Recording recording) {
		return new Started(recording.id(),
				(recording.startedAt() != null) ? recording.startedAt() : recording.consentAt());
	}

	/**
	 * @param givenBy {@code CLIENT} or {@code REPRESENTATIVE}
	 * @param note the note
	 * @param recordedAt when the consent was recorded
	 */
	record Consent(String givenBy, @Nullable String note, Instant recordedAt) {
	}

	/**
	 * The answer to {@code POST /api/v1/consults/{id}/recording}.
	 *
	 * @param recordingId the recording
	 * @param startedAt when the recorder ran
	 */
	record Started(UUID recordingId, Instant startedAt) {
	}

}
