package nl.beeldzorg.signalling.kurento;

import java.time.Duration;
import java.util.List;

/**
 * How the Kurento broker works.
 *
 * @param mode {@link MediaMode#SFU} or {@link MediaMode#AUTO}
 * @param urls the media servers' {@code ws://…/kurento} URLs
 * @param maxVideoKbps the video bitrate cap the pages are given: the most a browser may
 * send to the SFU and the most the SFU sends to a browser
 * @param failoverAfter how long a media server may be away (the client reconnects
 * meanwhile) before its consults move to another server or to peer to peer
 * @param probeInterval how often a media server that could not be reached at all is tried
 * again
 */
public record KurentoSettings(MediaMode mode, List<String> urls, int maxVideoKbps, Duration failoverAfter,
		Duration probeInterval) {

	/**
	 * Settings with the default failover (3 s) and probe interval (5 s).
	 * @param mode the mode
	 * @param urls the media servers
	 * @param maxVideoKbps the video bitrate cap
	 */
	public KurentoSettings(MediaMode mode, List<String> urls, int maxVideoKbps) {
		this(mode, urls, maxVideoKbps, Duration.ofSeconds(3), Duration.ofSeconds(5));
	}

	/** Checks the settings. */
	public KurentoSettings {
		if (mode == MediaMode.P2P) {
			throw new IllegalArgumentException("The Kurento broker is for modes sfu and auto");
		}
		if (urls.isEmpty()) {
			throw new IllegalArgumentException(
					"beeldzorg.media.kurento-urls needs at least one ws://…/kurento URL in mode " + mode);
		}
		urls = List.copyOf(urls);
	}

}
