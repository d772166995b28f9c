package nl.beeldzorg.signalling.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * An ICE candidate in the shape of the browser's {@code RTCIceCandidate.toJSON()}.
 *
 * @param candidate the candidate line, {@code candidate:…}; empty for end-of-candidates
 * @param sdpMid the media stream identification
 * @param sdpMLineIndex the index of the media description
 * @param usernameFragment the ICE ufrag the candidate belongs to
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IceCandidate(@Nullable String candidate, @Nullable String sdpMid, @Nullable Integer sdpMLineIndex,
		@Nullable String usernameFragment) {
}
