package nl.beeldzorg.sfu;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Where media flows (API.md "Media through the SFU").
 *
 * @param mode {@code p2p} (default: browser to browser), {@code sfu} (every consult
 * through Kurento) or {@code auto} (peer to peer for two, Kurento from the third
 * participant or a recording)
 * @param kurentoUrls the Kurento Media Servers, {@code ws://host:8888/kurento}; needed in
 * modes {@code sfu} and {@code auto}
 * @param failoverAfter how long a media server may be away before its consults move to
 * another one (or back to peer to peer)
 * @param probeInterval how often a media server unreachable at start is tried again
 * @param ownerLease with several nodes (Redis): how long the node that owns a consult's
 * media keeps it without renewing (it renews every third of this); a dead owner's
 * consults are rebuilt on another node after at most this long
 */
@ConfigurationProperties("beeldzorg.media")
@Validated
public record MediaProperties(
		@NotNull @Pattern(regexp = "(?i)p2p|sfu|auto",
				message = "beeldzorg.media.mode is p2p, sfu or auto") String mode,
		@Nullable List<String> kurentoUrls, @NotNull Duration failoverAfter, @NotNull Duration probeInterval,
		@NotNull Duration ownerLease) {

	/**
	 * @return the Kurento URLs, none when unset
	 */
	public List<String> urls() {
		return (this.kurentoUrls != null) ? this.kurentoUrls.stream().filter((u) -> !u.isBlank()).toList() : List.of();
	}

	/**
	 * @return whether a mode that needs media servers names at least one
	 */
	@AssertTrue(
			message = "set beeldzorg.media.kurento-urls (BEELDZORG_MEDIA_KURENTO_URLS), e.g. ws://kurento:8888/kurento, when beeldzorg.media.mode is sfu or auto")
	public boolean isKurentoConfigured() {
		return "p2p".equalsIgnoreCase(this.mode) || !urls().isEmpty();
	}

}
