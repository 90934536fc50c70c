package dev.dataevents.job;

import dev.dataevents.model.ContactRecord;
import dev.dataevents.model.PackedContactRecord;
import dev.dataevents.model.binary.ContactRecordPacker;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * Packs each record for a bounded run's {@code keyBy} (see {@link PackedContactRecord}), chained to
 * parsing: the record is serialized once, here, and copied as bytes from then on.
 */
final class PackRecords extends RichMapFunction<ContactRecord, PackedContactRecord> {
  private static final long serialVersionUID = 1L;

  private transient ContactRecordPacker packer;

  @Override
  public void open(OpenContext openContext) {
    packer = new ContactRecordPacker();
  }

  @Override
  public PackedContactRecord map(ContactRecord record) {
    return packer.pack(record);
  }
}
