package nl.beeldzorg.signalling;

import java.util.List;

import nl.beeldzorg.signalling.protocol.IceServer;

/**
 * What a {@link JoinAuthorizer} grants: one user into one room.
 *
 * @param roomId the room, which is the consult id
 * @param userId the user ({@code sub} of their access token)
 * @param name display name shown to the other peers
 * @param discipline the user's discipline
 * @param iceServers STUN and TURN servers for this user, with fresh credentials
 */
public record Admission(String roomId, String userId, String name, String discipline, List<IceServer> iceServers) {
}
