/**
 * Where the consults' media flows: peer to peer, or through Kurento Media Servers
 * ({@code beeldzorg.media.*}); the media servers' health and load.
 */
@NullMarked
package nl.beeldzorg.sfu;

import org.jspecify.annotations.NullMarked;
