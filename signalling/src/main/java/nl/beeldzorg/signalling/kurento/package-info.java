/**
 * Media through Kurento Media Server:
 * {@link nl.beeldzorg.signalling.kurento.KurentoMediaBroker} (one pipeline per consult,
 * an endpoint per published stream and per subscription, the recorder) over a pool of
 * {@link nl.beeldzorg.signalling.kurento.MediaServer}s, least loaded first. Every call to
 * Kurento is an asynchronous ({@code Continuation}) call wrapped in a {@code Mono}; none
 * blocks an event loop.
 */
@NullMarked
package nl.beeldzorg.signalling.kurento;

import org.jspecify.annotations.NullMarked;
