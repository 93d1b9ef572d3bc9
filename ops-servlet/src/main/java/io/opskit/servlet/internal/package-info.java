/** Implementation of ops-servlet: request views, the uri tagger, lazy registration. Not API. */
package io.opskit.servlet.internal;
