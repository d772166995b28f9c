package nl.beeldzorg.signal;

import nl.beeldzorg.signalling.SignallingConnection;
import nl.beeldzorg.signalling.SignallingEngine;
import reactor.core.publisher.Mono;

import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;

/**
 * Bridges one WebSocket to one {@link SignallingConnection}: inbound text frames in,
 * outbound frames out, and the socket closed when the engine is done with it.
 */
class SignallingWebSocketHandler implements WebSocketHandler {

	private final SignallingEngine engine;

	SignallingWebSocketHandler(SignallingEngine engine) {
		this.engine = engine;
	}

	@Override
	public Mono<Void> handle(WebSocketSession session) {
		SignallingConnection connection = this.engine.open();
		Mono<Void> inbound = session.receive().doOnNext((message) -> {
			if (message.getType() == WebSocketMessage.Type.TEXT || message.getType() == WebSocketMessage.Type.BINARY) {
				connection.receive(message.getPayloadAsText());
			}
		}).doFinally((signal) -> connection.closed()).then();
		Mono<Void> outbound = session.send(connection.outbound().map(session::textMessage))
			.then(Mono.defer(() -> session.close(CloseStatus.NORMAL)));
		return Mono.zip(inbound, outbound).then();
	}

}
