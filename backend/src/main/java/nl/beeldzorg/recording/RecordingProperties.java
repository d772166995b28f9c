package nl.beeldzorg.recording;

import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Where recordings are kept and for how long.
 *
 * @param directory the directory the media server writes recordings into and this node
 * reads them from (the same volume mounted on both); a recording is
 * {@code <directory>/<institution>/<consult>/<recording>.webm}
 * @param retention how long a stopped recording is kept before its file is deleted. The
 * default, 90 days, covers the usual time to put what was seen into the care record and
 * to handle a complaint about the consult; a recording is a working copy, not the record
 * itself (the care record is kept under the WGBO's own term), so it should not outlive
 * that need
 * @param sweepInterval how often each node looks for expired recordings
 */
@ConfigurationProperties("beeldzorg.recordings")
@Validated
public record RecordingProperties(@NotBlank String directory, @NotNull Duration retention,
		@NotNull Duration sweepInterval) {

	/**
	 * @return whether the durations are positive
	 */
	@AssertTrue(message = "beeldzorg.recordings.retention and sweep-interval must be positive")
	public boolean isPositive() {
		return this.retention != null && this.sweepInterval != null && !this.retention.isNegative()
				&& !this.retention.isZero() && !this.sweepInterval.isNegative() && !this.sweepInterval.isZero();
	}

}
