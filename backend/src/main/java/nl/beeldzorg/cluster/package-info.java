/**
 * What several nodes share through Redis when {@code beeldzorg.redis.url} is set: who has
 * an app open (presence, keys with a TTL) and the live events for open apps (pub/sub).
 * Without it everything stays in the node (demo, or one production node).
 */
@NullMarked
package nl.beeldzorg.cluster;

import org.jspecify.annotations.NullMarked;
