package nl.beeldzorg.signalling;

import java.time.Duration;

/**
 * Limits and timings of the engine.
 *
 * @param reconnectGrace how long a dropped peer keeps its place in the room
 * @param maxFrameBytes the largest text frame accepted, in UTF-8 bytes
 * @param messagesPerSecond sustained messages per second per connection
 * @param messageBurst messages a connection may send at once before the rate applies
 * @param maxPeersPerRoom the most peers (connections) in one room
 * @param outboundBuffer messages queued for one slow client before it is cut off
 * @param joinTimeout how long a new socket may take to be admitted (a valid {@code join})
 * before it gets {@code signalling.join-timeout} and is closed
 */
public record SignallingSettings(Duration reconnectGrace, int maxFrameBytes, int messagesPerSecond, int messageBurst,
		int maxPeersPerRoom, int outboundBuffer, Duration joinTimeout) {

	/**
	 * The defaults: 30 s grace, 64 KiB frames, 50 msg/s with bursts of 200, 4 peers, 10 s
	 * to join.
	 */
	public static final SignallingSettings DEFAULTS = new SignallingSettings(Duration.ofSeconds(30), 64 * 1024, 50, 200,
			4, 1024, Duration.ofSeconds(10));

	/**
	 * Checks the values.
	 * @param reconnectGrace the grace period, not negative
	 * @param maxFrameBytes positive
	 * @param messagesPerSecond positive
	 * @param messageBurst at least one
	 * @param maxPeersPerRoom at least two
	 * @param outboundBuffer at least 16
	 * @param joinTimeout positive
	 */
	public SignallingSettings {
		if (reconnectGrace.isNegative()) {
			throw new IllegalArgumentException("reconnectGrace must not be negative");
		}
		if (maxFrameBytes <= 0 || messagesPerSecond <= 0 || messageBurst < 1) {
			throw new IllegalArgumentException("frame size, message rate and burst must be positive");
		}
		if (maxPeersPerRoom < 2) {
			throw new IllegalArgumentException("a room needs room for at least two peers");
		}
		if (outboundBuffer < 16) {
			throw new IllegalArgumentException("outboundBuffer must be at least 16");
		}
		if (joinTimeout.isNegative() || joinTimeout.isZero()) {
			throw new IllegalArgumentException("joinTimeout must be positive");
		}
	}

	/**
	 * @param grace the new grace period
	 * @return a copy with another grace period
	 */
	public SignallingSettings withReconnectGrace(Duration grace) {
		return new SignallingSettings(grace, this.maxFrameBytes, this.messagesPerSecond, this.messageBurst,
				this.maxPeersPerRoom, this.outboundBuffer, this.joinTimeout);
	}

	/**
	 * @param perSecond sustained rate
	 * @param burst burst size
	 * @return a copy with another message rate
	 */
	public SignallingSettings withMessageRate(int perSecond, int burst) {
		return new SignallingSettings(this.reconnectGrace, this.maxFrameBytes, perSecond, burst, this.maxPeersPerRoom,
				this.outboundBuffer, this.joinTimeout);
	}

	/**
	 * @param peers the most peers in a room
	 * @return a copy with another room size
	 */
	public SignallingSettings withMaxPeersPerRoom(int peers) {
		return new SignallingSettings(this.reconnectGrace, this.maxFrameBytes, this.messagesPerSecond,
				this.messageBurst, peers, this.outboundBuffer, this.joinTimeout);
	}

	/**
	 * @param timeout how long a new socket may take to join
	 * @return a copy with another join timeout
	 */
	public SignallingSettings withJoinTimeout(Duration timeout) {
		return new SignallingSettings(this.reconnectGrace, this.maxFrameBytes, this.messagesPerSecond,
				this.messageBurst, this.maxPeersPerRoom, this.outboundBuffer, timeout);
	}

}
