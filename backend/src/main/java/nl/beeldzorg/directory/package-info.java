/**
 * Institutions, care locations and practitioners.
 */
@NullMarked
package nl.beeldzorg.directory;

import org.jspecify.annotations.NullMarked;
