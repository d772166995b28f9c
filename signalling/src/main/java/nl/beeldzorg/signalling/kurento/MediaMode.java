package nl.beeldzorg.signalling.kurento;

import java.util.Locale;

/**
 * {@code beeldzorg.media.mode}: where the consults' media flows.
 */
public enum MediaMode {

	/** Browser to browser, always; no media server. */
	P2P,

	/**
	 * Every consult through the SFU (peer to peer only while no media server is
	 * reachable).
	 */
	SFU,

	/** Peer to peer for two; the SFU from the third participant or a recording. */
	AUTO;

	/**
	 * @param value {@code p2p}, {@code sfu} or {@code auto}, any case
	 * @return the mode
	 */
	public static MediaMode of(String value) {
		return valueOf(value.trim().toUpperCase(Locale.ROOT));
	}

}
