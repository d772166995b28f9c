/**
 * The signalling protocol of {@code API.md}: message records and their one JSON codec.
 */
@NullMarked
package nl.beeldzorg.signalling.protocol;

import org.jspecify.annotations.NullMarked;
