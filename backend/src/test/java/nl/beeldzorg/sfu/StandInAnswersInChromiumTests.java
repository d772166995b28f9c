package nl.beeldzorg.sfu;

import java.util.Map;

import com.microsoft.playwright.Page;
import nl.beeldzorg.signalling.kurento.KurentoProtocolStandIn;
import nl.beeldzorg.support.Browsers;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kurento protocol stand-in's answers are SDP that Chromium takes: a publishing offer
 * (send only, audio and video, a data channel) and a subscribing one (receive only),
 * answered, set as remote description, and the stand-in's candidates added. The pages'
 * SFU path rests on this, since no real Kurento Media Server runs here.
 */
class StandInAnswersInChromiumTests {

	private static final String OFFER_AND_ANSWER = """
			async ([direction, withData]) => {
			  const pc = new RTCPeerConnection();
			  pc.addTransceiver('audio', { direction });
			  pc.addTransceiver('video', { direction });
			  if (withData) pc.createDataChannel('beeldzorg');
			  const offer = await pc.createOffer();
			  await pc.setLocalDescription(offer);
			  window.pc = pc;
			  return offer.sdp;
			}""";

	private static final String ACCEPT = """
			async ([sdp, candidate]) => {
			  const pc = window.pc;
			  const tracks = [];
			  pc.ontrack = (e) => tracks.push(e.track.kind);
			  await pc.setRemoteDescription({ type: 'answer', sdp });
			  await pc.addIceCandidate({ candidate, sdpMid: pc.getTransceivers()[0].mid, sdpMLineIndex: 0 });
			  return pc.signalingState + ' ' + tracks.join(',');
			}""";

	@Test
	void chromiumTakesThePublishingAndTheSubscribingAnswer() {
		KurentoProtocolStandIn standIn = KurentoProtocolStandIn.start();
		try (Browsers browsers = Browsers.launch()) {
			Page page = browsers.page(320, 240);
			page.navigate("about:blank");
			Map<String, String> outcomes = new java.util.LinkedHashMap<>();
			for (String direction : new String[] { "sendonly", "recvonly", "sendrecv" }) {
				String offer = (String) page.evaluate(OFFER_AND_ANSWER,
						java.util.List.of(direction, "sendonly".equals(direction)));
				String answer = standIn.answer(offer);
				outcomes.put(direction, (String) page.evaluate(ACCEPT,
						java.util.List.of(answer, "candidate:1 1 UDP 2015363327 127.0.0.1 40000 typ host")));
			}
			assertThat(outcomes.get("sendonly")).isEqualTo("stable ");
			assertThat(outcomes.get("recvonly")).isEqualTo("stable audio,video");
			assertThat(outcomes.get("sendrecv")).isEqualTo("stable audio,video");
		}
		finally {
			standIn.close();
		}
	}

}
