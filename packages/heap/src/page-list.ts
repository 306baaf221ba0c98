import type { PageFooter } from "./page-footer.js";

/** An intrusive doubly linked list of objcache pages (Nanos `struct list`). */
export class PageList {
  head: PageFooter | undefined;
  tail: PageFooter | undefined;
  length = 0;

  pushFront(page: PageFooter): void {
    page.prev = undefined;
    page.next = this.head;
    if (this.head !== undefined) this.head.prev = page;
    else this.tail = page;
    this.head = page;
    this.length++;
  }

  pushBack(page: PageFooter): void {
    page.next = undefined;
    page.prev = this.tail;
    if (this.tail !== undefined) this.tail.next = page;
    else this.head = page;
    this.tail = page;
    this.length++;
  }

  remove(page: PageFooter): void {
    if (page.prev !== undefined) page.prev.next = page.next;
    else this.head = page.next;
    if (page.next !== undefined) page.next.prev = page.prev;
    else this.tail = page.prev;
    page.prev = page.next = undefined;
    this.length--;
  }

  /** The pages from head to tail. */
  *[Symbol.iterator](): IterableIterator<PageFooter> {
    for (let page = this.head; page !== undefined; page = page.next) yield page;
  }
}
