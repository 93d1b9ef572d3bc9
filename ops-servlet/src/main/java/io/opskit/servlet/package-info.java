/** opskit servlet. */
package io.opskit.servlet;
