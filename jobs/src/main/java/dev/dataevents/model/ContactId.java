package dev.dataevents.model;

/** The key of the keyed contact logic: a contact within its workspace. */
public record ContactId(String workspaceId, String contactKey) {}
