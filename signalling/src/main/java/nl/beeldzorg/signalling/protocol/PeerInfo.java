package nl.beeldzorg.signalling.protocol;

/**
 * A participant as the other participants see it.
 *
 * @param peerId the id the server gave this connection's participant within the room
 * @param userId the user's id ({@code sub} of their tokens)
 * @param name display name
 * @param discipline the user's discipline, e.g. {@code NURSE} or {@code SO}
 */
public record PeerInfo(String peerId, String userId, String name, String discipline) {
}
