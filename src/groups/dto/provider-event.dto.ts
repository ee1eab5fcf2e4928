/** A signed event a provider sent about the channel's groups, and what groupcast did with it. */
export class ProviderEventDto {
  id: number;
  /** e.g. `change_external_chat.create`, `change_external_chat.update.add_member`. */
  kind: string;
  /** The group it concerns, when groupcast has one for its chat. */
  groupId: string | null;
  /** What it changed, e.g. `add_member (+2, now 35): 宝妈交流群`. */
  outcome: string;
  receivedAt: Date;
}

export class ProviderEventListDto {
  /** The 100 latest, newest first. */
  items: ProviderEventDto[];
}
