import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClickRecorder } from './click-recorder.service';
import { Click } from './click.entity';

/** The clicks table's writer, for the redirect (which records) and retention (which purges). */
@Module({
  imports: [TypeOrmModule.forFeature([Click])],
  providers: [ClickRecorder],
  exports: [ClickRecorder],
})
export class ClicksModule {}
