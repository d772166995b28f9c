package nl.beeldzorg.consult;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import nl.beeldzorg.notify.WebPush;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * Rings consultants' phones by Web Push when a consult starts ringing for them, so a
 * locked phone rings too. The payload is encrypted end to end, and still carries no
 * client reference or question: who asks, how urgent, and where to open the call.
 */
@Component
class RingNotifier {

	private static final Logger logger = LoggerFactory.getLogger(RingNotifier.class);

	private final WebPush push;

	private final JsonMapper json;

	RingNotifier(WebPush push, JsonMapper json) {
		this.push = push;
		this.json = json;
	}

	void ring(ConsultView view, Collection<String> userIds) {
		if (userIds.isEmpty()) {
			return;
		}
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("type", ConsultEvents.RINGING);
		payload.put("consultId", view.id().toString());
		payload.put("kind", view.kind().name());
		payload.put("urgency", view.urgency().name());
		payload.put("from", (view.requestedBy().name() != null) ? view.requestedBy().name() : "");
		payload.put("locationId", view.locationId());
		payload.put("url", "/app/?consult=" + view.id());
		this.push.send(userIds, this.json.writeValueAsString(payload))
			.subscribe((sent) -> logger.debug("Ring pushed to {} subscription(s)", sent),
					(ex) -> logger.warn("Ring push failed: {}", ex.toString()));
	}

}
