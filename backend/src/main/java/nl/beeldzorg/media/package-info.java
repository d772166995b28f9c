/**
 * Media truth (API.md "Media state", v1.1): what each party's media actually did, the
 * consult's {@code connectedAt} as the first moment media flowed, and the
 * connection-quality rollup.
 */
@NullMarked
package nl.beeldzorg.media;

import org.jspecify.annotations.NullMarked;
