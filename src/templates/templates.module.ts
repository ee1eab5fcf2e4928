import { Global, Module } from '@nestjs/common';
import { KindRegistry } from './kind-registry.service';
import { RendererService } from './renderer.service';

@Global()
@Module({
  providers: [KindRegistry, RendererService],
  exports: [KindRegistry, RendererService],
})
export class TemplatesModule {}
