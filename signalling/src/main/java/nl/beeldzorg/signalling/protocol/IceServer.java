package nl.beeldzorg.signalling.protocol;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * One entry of {@code RTCConfiguration.iceServers}.
 *
 * @param urls {@code stun:} or {@code turn:} URLs
 * @param username TURN user name, absent for STUN
 * @param credential TURN password, absent for STUN
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IceServer(List<String> urls, @Nullable String username, @Nullable String credential) {

	/**
	 * A STUN server, which needs no credentials.
	 * @param url the {@code stun:} URL
	 * @return the entry
	 */
	public static IceServer stun(String url) {
		return new IceServer(List.of(url), null, null);
	}

}
