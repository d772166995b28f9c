package nl.beeldzorg.recording;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import nl.beeldzorg.system.NoBsn;
import org.jspecify.annotations.Nullable;

/** The bodies of the recording calls. */
final class RecordingRequests {

	private RecordingRequests() {
	}

	/**
	 * @param consent who consented; without it nothing is recorded
	 * ({@code recording.consent-required})
	 */
	record Start(@Schema(description = "Who consented to the recording; required (422 recording.consent-required"
			+ " without it)") @Valid @Nullable Consent consent) {
	}

	/**
	 * @param givenBy the client, or the client's representative
	 * @param note how and when consent was given, optional; no patient names or BSNs
	 */
	record Consent(
			@Schema(description = "CLIENT or REPRESENTATIVE",
					requiredMode = Schema.RequiredMode.REQUIRED) Recording.@Nullable GivenBy givenBy,
			@Schema(description = "How consent was given, up to 500 characters; no patient names or BSNs") @Nullable @Size(
					max = 500) @NoBsn String note) {
	}

}
