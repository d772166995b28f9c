/**
 * Cross-cutting set-up: configuration properties, database, clock, problem details, the
 * index page.
 */
@NullMarked
package nl.beeldzorg.system;

import org.jspecify.annotations.NullMarked;
