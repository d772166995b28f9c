/**
 * The signalling benchmark: a program that prints figures, never a timed test.
 */
@NullMarked
package nl.beeldzorg.bench;

import org.jspecify.annotations.NullMarked;
