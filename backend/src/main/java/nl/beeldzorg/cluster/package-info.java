/**
 * What several nodes share through Redis when {@code beeldzorg.redis.url} is set: who has
 * an app open (presence, keys with a TTL), the live events for open apps (pub/sub), and
 * the signalling rooms (a channel per room, seats and their reconnect grace). Without it
 * everything stays in the node (demo, or one production node).
 */
@NullMarked
package nl.beeldzorg.cluster;

import org.jspecify.annotations.NullMarked;
