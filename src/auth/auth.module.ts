import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKey } from './api-key.entity';
import { ApiKeysController, WhoAmIController } from './api-keys.controller';
import { ApiKeysService } from './api-keys.service';
import { KeyCheck } from './api-key.guard';

@Module({
  imports: [TypeOrmModule.forFeature([ApiKey])],
  controllers: [ApiKeysController, WhoAmIController],
  providers: [ApiKeysService, KeyCheck],
  exports: [ApiKeysService, KeyCheck],
})
export class AuthModule {}
