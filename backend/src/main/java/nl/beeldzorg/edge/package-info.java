/**
 * The server's edge: what keeps a slow or greedy client from holding it (request timeouts
 * on the Netty server, a cap on each user's live event streams) and the security headers
 * every page and asset is sent with.
 */
@NullMarked
package nl.beeldzorg.edge;

import org.jspecify.annotations.NullMarked;
