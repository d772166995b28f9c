/**
 * Identity (OAuth2 resource server, demo issuer), the current user, join tokens.
 */
@NullMarked
package nl.beeldzorg.security;

import org.jspecify.annotations.NullMarked;
