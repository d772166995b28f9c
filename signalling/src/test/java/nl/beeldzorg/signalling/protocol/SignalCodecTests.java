package nl.beeldzorg.signalling.protocol;

import java.util.List;

import nl.beeldzorg.signalling.SignallingError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class SignalCodecTests {

	/** An offer as Chrome writes it (abridged to one audio and one video section). */
	static final String CHROME_OFFER = "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
			+ "a=group:BUNDLE 0 1\r\na=extmap-allow-mixed\r\na=msid-semantic: WMS\r\n"
			+ "m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126\r\nc=IN IP4 0.0.0.0\r\n"
			+ "a=rtcp:9 IN IP4 0.0.0.0\r\na=ice-ufrag:Yl9e\r\na=ice-pwd:Qd+3QfTQdRTVTkKUc0YpmEgp\r\n"
			+ "a=ice-options:trickle\r\na=fingerprint:sha-256 8B:1C:4A:56:2E:A3:17:0D:2C:8B:AA:4D:92:5F:1E:3C:"
			+ "6B:25:00:D9:1E:9E:6B:71:3E:57:EA:6E:6B:49:2B:45\r\na=setup:actpass\r\na=mid:0\r\n"
			+ "a=sendrecv\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n"
			+ "m=video 9 UDP/TLS/RTP/SAVPF 96 97 102\r\nc=IN IP4 0.0.0.0\r\na=mid:1\r\na=sendrecv\r\n"
			+ "a=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 nack pli\r\na=rtpmap:102 H264/90000\r\n"
			+ "a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f\r\n";

	private final SignalCodec codec = new SignalCodec();

	@Test
	void everyMessageTypeRoundTripsWithItsProtocolName() {
		PeerInfo peer = new PeerInfo("p1", "u1", "Anna", "NURSE");
		List<SignalMessage> messages = List.of(new SignalMessage.Join("tok"),
				new SignalMessage.Offer("p2", "p1", CHROME_OFFER), new SignalMessage.Answer("p1", "p2", "v=0"),
				new SignalMessage.Ice("p2", "p1",
						new IceCandidate("candidate:1 1 udp 1 10.0.0.1 9 typ host", "0", 0, "Yl9e")),
				new SignalMessage.Leave(), new SignalMessage.Ping(),
				new SignalMessage.Joined("c1", "p1", List.of(peer), List.of(IceServer.stun("stun:stun.example:3478"))),
				new SignalMessage.PeerJoined(peer), new SignalMessage.PeerLeft("p1"), new SignalMessage.Ended("c1"),
				new SignalMessage.Error("signalling.not-in-room", "no"), new SignalMessage.Pong(),
				new SignalMessage.MediaState("connected",
						new SignalMessage.MediaStats(42.0, 0.3, 1210.0, 980.0, 1280, 720, false)),
				new SignalMessage.Media("sfu", "third-participant"),
				new SignalMessage.Offer("sfu", "p1", CHROME_OFFER, "p2"));
		List<String> types = List.of("join", "offer", "answer", "ice", "leave", "ping", "joined", "peer-joined",
				"peer-left", "ended", "error", "pong", "media-state", "media", "offer");
		for (int i = 0; i < messages.size(); i++) {
			String json = this.codec.encode(messages.get(i));
			assertThat(json).startsWith("{\"type\":\"" + types.get(i) + "\"");
			assertThat(this.codec.decode(json).message()).isEqualTo(messages.get(i));
		}
	}

	@Test
	void nullsAreOmittedAndARealSdpSurvivesUnchanged() {
		String json = this.codec.encode(new SignalMessage.Offer("p2", null, CHROME_OFFER));
		assertThat(json).doesNotContain("from").doesNotContain("null");
		assertThat(((SignalMessage.Offer) this.codec.decode(json).message()).sdp()).isEqualTo(CHROME_OFFER);
		assertThat(this.codec.encode(new SignalMessage.Joined("c", "p", List.of(), List.of(IceServer.stun("stun:x")))))
			.doesNotContain("username")
			.doesNotContain("credential");
	}

	@Test
	void aMediaStateWithoutStatsOrWithPartialStatsDecodes() {
		assertThat(this.codec.decode("{\"type\":\"media-state\",\"state\":\"failed\"}").message())
			.isEqualTo(new SignalMessage.MediaState("failed", null));
		SignalMessage decoded = this.codec
			.decode("{\"type\":\"media-state\",\"state\":\"connected\",\"stats\":{\"kbpsIn\":12.5}}")
			.message();
		assertThat(((SignalMessage.MediaState) decoded).stats().kbpsIn()).isEqualTo(12.5);
		assertThat(((SignalMessage.MediaState) decoded).stats().rttMs()).isNull();
	}

	@Test
	void unknownFieldsAreIgnored() {
		assertThat(this.codec.decode("{\"type\":\"ping\",\"extra\":{\"a\":1}}").message())
			.isEqualTo(new SignalMessage.Ping());
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			{not json                                   | MALFORMED
			[1,2                                        | MALFORMED
			null                                        | MALFORMED
			{"type":"dance"}                            | UNKNOWN_TYPE
			{"sdp":"v=0"}                               | UNKNOWN_TYPE
			{"type":"ice","to":"p","candidate":"text"}  | INVALID_MESSAGE
			{"type":"offer","to":["p"],"sdp":"v=0"}      | INVALID_MESSAGE
			{"type":"media-state","state":"up"}         | INVALID_MEDIA_STATE
			{"type":"media-state","state":"connected","stats":{"kbpsIn":-5}} | INVALID_MEDIA_STATE
			{"type":"media-state","state":"connected","stats":{"width":99999}} | INVALID_MEDIA_STATE
			{"type":"media-state","state":"connected","stats":{"rttMs":"fast"}} | INVALID_MESSAGE
			""")
	void badFramesDecodeToTheirError(String frame, SignallingError error) {
		SignalCodec.Decoded decoded = this.codec.decode(frame);
		assertThat(decoded.message()).isNull();
		assertThat(decoded.error()).isEqualTo(error);
		assertThat(decoded.detail()).isNotBlank();
	}

}
