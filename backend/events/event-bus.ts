import type { ChangeEvent, DeliveredEvent } from '../api/cairn';

export type Listener = (e: DeliveredEvent) => void;

/**
 * In-process publish/subscribe of change events, with a ring buffer so a client that reconnects
 * with `Last-Event-ID` receives what it missed.
 */
export class EventBus {
  private readonly listeners = new Set<Listener>();
  private readonly ring: DeliveredEvent[] = [];
  private nextId = 1;

  constructor(private readonly capacity = 2000) {}

  publish(event: ChangeEvent): void {
    const delivered = { ...event, id: this.nextId++, time: Date.now() } as DeliveredEvent;
    this.ring.push(delivered);
    if (this.ring.length > this.capacity) this.ring.splice(0, this.ring.length - this.capacity);
    for (const l of this.listeners) l(delivered);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Events after `id` still in the buffer, and whether some were already dropped. */
  since(id: number): { events: DeliveredEvent[]; gap: boolean } {
    const events = this.ring.filter((e) => e.id > id);
    const oldest = this.ring[0]?.id ?? this.nextId;
    return { events, gap: id + 1 < oldest && id < this.nextId - 1 };
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}
