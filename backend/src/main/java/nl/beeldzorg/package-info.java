/**
 * The Beeldzorg backend: one deployable, packages by feature.
 */
@NullMarked
package nl.beeldzorg;

import org.jspecify.annotations.NullMarked;
