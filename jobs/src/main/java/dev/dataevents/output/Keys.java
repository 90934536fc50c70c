package dev.dataevents.output;

import dev.dataevents.json.JsonBuilder.Name;

/**
 * The keys of the output lines, each encoded once: a line's keys are then block copies, and the
 * compiled rendering code stays small (a key written through the string path is a loop inlined at
 * every field).
 */
final class Keys {
  static final Name COUNT = Name.of("count");
  static final Name CREATED_AT = Name.of("created_at");
  static final Name DESCRIPTION = Name.of("description");
  static final Name DUPLICATE_OF = Name.of("duplicate_of");
  static final Name EMAIL = Name.of("email");
  static final Name EVENT_NAME = Name.of("event_name");
  static final Name EVENTS = Name.of("events");
  static final Name FIELD = Name.of("field");
  static final Name FIRST = Name.of("first");
  static final Name ID = Name.of("id");
  static final Name INTERCOM_USER_ID = Name.of("intercom_user_id");
  static final Name LAST = Name.of("last");
  static final Name LINE = Name.of("line");
  static final Name MESSAGE = Name.of("message");
  static final Name METADATA = Name.of("metadata");
  static final Name NAME = Name.of("name");
  static final Name NEXT = Name.of("next");
  static final Name PAGE = Name.of("page");
  static final Name PAGES = Name.of("pages");
  static final Name PER_PAGE = Name.of("per_page");
  static final Name RAW = Name.of("raw");
  static final Name REASON = Name.of("reason");
  static final Name SOURCE = Name.of("source");
  static final Name STATUS = Name.of("status");
  static final Name TOTAL_PAGES = Name.of("total_pages");
  static final Name TYPE = Name.of("type");
  static final Name UPDATED_AT = Name.of("updated_at");
  static final Name USER_ID = Name.of("user_id");
  static final Name WORKSPACE_ID = Name.of("workspace_id");

  private Keys() {}
}
