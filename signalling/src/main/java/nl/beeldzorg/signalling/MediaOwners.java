package nl.beeldzorg.signalling;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Which node owns a consult's media when several nodes share the rooms (Redis): a lease
 * per room that its owner renews, and a channel per node to hand the owner what peers on
 * other nodes send to the SFU. Implementations never block.
 */
public interface MediaOwners {

	/**
	 * @return this node's id
	 */
	String node();

	/**
	 * Takes the room's lease when nobody holds it, renews it when this node does.
	 * @param roomId the room
	 * @return who owns the room's media now, and who owned it before this node took it
	 */
	Mono<Claim> claim(String roomId);

	/**
	 * @param roomId the room
	 * @return the node that owns the room's media; empty when none does
	 */
	Mono<String> owner(String roomId);

	/**
	 * Gives the lease up, when this node holds it.
	 * @param roomId the room
	 * @return done when the store knows
	 */
	Mono<Void> release(String roomId);

	/**
	 * Sends a call to one node.
	 * @param node the node
	 * @param payload the call
	 * @return done when the store took it
	 */
	Mono<Void> send(String node, String payload);

	/**
	 * @return what other nodes send to this one, in the order they sent it, for as long
	 * as subscribed
	 */
	Flux<String> received();

	/**
	 * A lease taken or renewed.
	 *
	 * @param owner the node that holds it now
	 * @param previous with a lease just taken: the node that held it last (its lease ran
	 * out: it died or lost Redis), {@code null} when none did; with a lease renewed or
	 * held by another node: the owner itself
	 */
	record Claim(String owner, @Nullable String previous) {

		/**
		 * @param node this node
		 * @return whether the node took the lease from a node that no longer renews it
		 */
		public boolean takenOverBy(String node) {
			return this.owner.equals(node) && this.previous != null && !this.previous.equals(node);
		}

	}

}
